"""The sign-in limits, as pure rules: when failed password checks refuse further attempts, and for how long.

Browser sign-in, re-authentication, the API token endpoint and the API signing step-up all count failures in one
place (accounts.selectors.sign_in_refusal reads them, accounts.services records them), per account:

- per account *and address*, a short lock-out: a handful of guesses from one address stop that address only, so a
  colleague mistyping, or an attacker on one address, cannot lock the CIO out for everyone;
- per account *across addresses*, a higher threshold over a longer window: guesses spread over many addresses
  (a botnet, a rotating header) still run out.

A locked account recovers when the window passes or at once through the password-reset e-mail, which clears its
count. The thresholds come from settings (SIGN_IN_LIMITS).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil


@dataclass(frozen=True)
class Limits:
    address_failures: int = 5
    address_window: timedelta = timedelta(minutes=15)
    account_failures: int = 20
    account_window: timedelta = timedelta(hours=1)

    @classmethod
    def from_settings(cls, values: dict) -> "Limits":
        return cls(
            address_failures=int(values["address_failures"]),
            address_window=timedelta(seconds=int(values["address_window_seconds"])),
            account_failures=int(values["account_failures"]),
            account_window=timedelta(seconds=int(values["account_window_seconds"])),
        )


@dataclass(frozen=True)
class Refusal:
    scope: str  # "address": this account from this address; "account": this account from everywhere
    retry_after: int  # seconds until one more attempt is allowed

    @property
    def message(self) -> str:
        wait = minutes_text(self.retry_after)
        if self.scope == "address":
            return (
                f"Too many failed sign-ins for this account from your address. Try again in {wait}, "
                "or reset your password by e-mail."
            )
        return (
            f"Too many failed sign-ins for this account. Try again in {wait}, or reset your password by e-mail "
            "to sign in at once."
        )


def minutes_text(seconds: int) -> str:
    minutes = max(1, ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _refusal(recent: Sequence[datetime], limit: int, window: timedelta, now: datetime, scope: str):
    """`recent`: the newest failures inside the window, newest first (at most `limit` of them)."""
    if limit <= 0 or len(recent) < limit:
        return None
    # The attempt is allowed again once the limit-th newest failure leaves the window.
    frees_at = recent[limit - 1] + window
    return Refusal(scope, max(1, ceil((frees_at - now).total_seconds())))


def refusal(
    *, from_address: Sequence[datetime], from_anywhere: Sequence[datetime], limits: Limits, now: datetime
) -> Refusal | None:
    """Whether one more attempt is refused, given the newest failures (newest first) from this address and from
    every address. The longer wait wins when both apply."""
    found = [
        r
        for r in (
            _refusal(from_address, limits.address_failures, limits.address_window, now, "address"),
            _refusal(from_anywhere, limits.account_failures, limits.account_window, now, "account"),
        )
        if r is not None
    ]
    return max(found, key=lambda r: r.retry_after) if found else None


def normalise_username(username: object) -> str:
    """Failures count per account whatever the case typed (usernames are matched case-insensitively here)."""
    return str(username or "").strip().casefold()[:150]
