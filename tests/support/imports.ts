import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");

/** Every .ts/.tsx file under `dir` (relative to the repository root), skipping builds. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      if (name === "node_modules" || name === "dist") continue;
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out;
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']|(?:^|[\s;(])import\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[\s;])import\s*["']([^"']+)["']|new\s+URL\(\s*["']([^"']+)["']/gm;

/** Module specifiers a file imports (static, dynamic, side-effect and `new URL(...)` worker imports). */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(importPattern)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (spec) specs.push(spec.replace(/\?.*$/, ""));
  }
  return specs;
}

/** Resolves a relative specifier to a repository-relative path; bare specifiers are returned as is. */
export function resolveSpecifier(file: string, spec: string): string {
  if (!spec.startsWith(".")) return spec;
  return relative(root, resolve(root, dirname(file), spec));
}
