"""Work handed to the worker, recorded in the same transaction as the change that asks for it (a transactional
outbox): published after commit, and again by a periodic sweep until a worker has done it, once."""
