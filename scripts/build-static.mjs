// Copies the front-end files that the portal serves from node_modules into static/build/.
// Run by `npm run build` (after Sass has written static/build/css/main.css).
// Plain Node, no shell commands, so it works the same on Linux, macOS and Windows.
//
// static/build/govuk/govuk-frontend.min.js (+ .map)  GOV.UK Frontend ES module (imported by static/js/init.mjs)
// static/build/govuk/assets/images/                  GOV.UK Frontend images (the CSS points here); no fonts
// static/build/js/htmx.min.js                        htmx 2.0

import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const build = join(root, "static", "build");

const govukDist = join(modules, "govuk-frontend", "dist", "govuk");

// Each entry: [source, destination]. Source maps go along with the minified files:
// the files name them in a sourceMappingURL comment, and Django's manifest storage
// (collectstatic) fails if a referenced file is missing.
const files = [
  [join(govukDist, "govuk-frontend.min.js"), join(build, "govuk", "govuk-frontend.min.js")],
  [join(govukDist, "govuk-frontend.min.js.map"), join(build, "govuk", "govuk-frontend.min.js.map")],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), join(build, "js", "htmx.min.js")],
];
const directories = [[join(govukDist, "assets", "images"), join(build, "govuk", "assets", "images")]];

for (const [source] of [...files, ...directories]) {
  if (!existsSync(source)) {
    console.error(`build-static: ${source} is missing. Run \`npm ci\` first.`);
    process.exit(1);
  }
}

// Start clean so files removed upstream do not linger (main.css is Sass's and stays).
for (const stale of [join(build, "govuk"), join(build, "js")]) {
  rmSync(stale, { recursive: true, force: true });
}

for (const [source, destination] of files) {
  mkdirSync(dirname(destination), { recursive: true });
  cpSync(source, destination);
}
for (const [source, destination] of directories) {
  cpSync(source, destination, { recursive: true });
}

console.log(`build-static: copied GOV.UK Frontend JS and images, and htmx, into ${build}`);
