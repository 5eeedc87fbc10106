// Reads every Parquet table of a realsynth output folder with polars
// (nodejs-polars, the same Rust engine as Python's polars) and checks each
// column's type against the declaration in docs/tables.md, which is
// generated from internal/tables. Usage: node check.mjs OUTDIR [docs/tables.md]
import fs from "node:fs";
import path from "node:path";
import pl from "nodejs-polars";

const [outDir, docsPath = path.join(import.meta.dirname, "../../docs/tables.md")] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: node check.mjs OUTDIR [docs/tables.md]");
  process.exit(2);
}

// The polars type each declared type must load as, written as polars prints it.
const scalar = {
  string: "String", bool: "Bool", int32: "Int32", int64: "Int64", float64: "Float64",
  date: "Date", "timestamp (µs, UTC)": "Datetime(us,UTC)",
};
const dt = (t) => `DataType(${t})`;

// docs/tables.md: "## name.parquet", then rows "| `column` | type | description |";
// a list of structs lists its fields as "column[].field".
function declarations(text) {
  const tables = new Map();
  let current = null;
  for (const line of text.split("\n")) {
    const h = line.match(/^## (\w+)\.parquet$/);
    if (h) {
      current = new Map();
      tables.set(h[1], current);
      continue;
    }
    const row = line.match(/^\| `([^`]+)` \| ([^|]+) \|/);
    if (!row || !current) continue;
    const [name, field] = row[1].split("[].");
    const type = row[2].replace(", nullable", "").trim();
    if (field) {
      current.get(name).fields.push([field, type]);
    } else {
      current.set(name, { type, fields: [] });
    }
  }
  return tables;
}

function expected({ type, fields }) {
  if (type === "list of struct") {
    const inner = fields.map(([f, t]) => `Field("${f}", ${dt(scalar[t])})`).join(",");
    return dt(`List(${dt(`Struct(${inner})`)})`);
  }
  const list = type.match(/^list of (.+)$/);
  if (list) return dt(`List(${dt(scalar[list[1]])})`);
  if (!(type in scalar)) throw new Error(`docs/tables.md: unknown type "${type}"`);
  return dt(scalar[type]);
}

const declared = declarations(fs.readFileSync(docsPath, "utf8"));
const manifest = JSON.parse(fs.readFileSync(path.join(outDir, "manifest.json"), "utf8"));
let failures = 0, columns = 0, rows = 0;
for (const t of manifest.tables) {
  const want = declared.get(t.name);
  if (!want) {
    console.error(`${t.name}: not declared in docs/tables.md`);
    failures++;
    continue;
  }
  const df = pl.readParquet(path.join(outDir, t.file));
  if (df.height !== t.rows) {
    console.error(`${t.name}: polars reads ${df.height} rows, the manifest says ${t.rows}`);
    failures++;
  }
  rows += df.height;
  const got = df.schema;
  const names = Object.keys(got);
  if (names.join(",") !== [...want.keys()].join(",")) {
    console.error(`${t.name}: columns ${names.join(",")}\n  declared ${[...want.keys()].join(",")}`);
    failures++;
  }
  for (const [name, decl] of want) {
    columns++;
    const g = name in got ? String(got[name]) : "(missing)";
    const w = expected(decl);
    if (g !== w) {
      console.error(`${t.name}.${name}: polars reads ${g}, declared ${decl.type} = ${w}`);
      failures++;
    }
  }
  // Every value must decode, not only the footer: touch each column.
  for (const name of names) df.getColumn(name).nullCount();
}
const summary = `${manifest.tables.length} tables, ${columns} columns, ${rows} rows read with polars`;
if (failures > 0) {
  console.error(`polars check: ${failures} problem(s); ${summary}`);
  console.log(`0 passed, ${failures} failed`);
  process.exit(1);
}
console.log(`polars check: every column has its declared type; ${summary}`);
console.log(`${columns} passed, 0 failed`);
