#!/usr/bin/env bash
# Refreshes the vendored front-end assets from the npm packages pinned in package.json / package-lock.json.
# The copies are committed, so running the product never needs npm or a network.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p static/vendor/bootstrap static/vendor/htmx tests/assets
cp node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/
cp node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
cp node_modules/axe-core/axe.min.js tests/assets/
node -e '
const p = (n) => require("./node_modules/" + n + "/package.json").version;
const lines = ["bootstrap " + p("bootstrap"), "htmx.org " + p("htmx.org"), "axe-core " + p("axe-core") + " (tests/assets)"];
require("fs").writeFileSync("static/vendor/VERSIONS", lines.join("\n") + "\n");
'
echo "vendored:"; cat static/vendor/VERSIONS
