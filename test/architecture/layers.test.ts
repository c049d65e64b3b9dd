import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * The layering ARCHITECTURE.md describes, checked on the code itself: shared packages never
 * depend on the apps built from them (services, dashboard, infra, the command line), and no
 * module imports itself back through a chain of runtime imports (a circle makes load order
 * decide which side sees `undefined`). Type-only imports vanish at run time and are allowed.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const APP_FOLDERS = ["services", "dashboard", "infra", "cli"];

interface Workspace {
  readonly name: string;
  readonly folder: string;
  readonly dependencies: readonly string[];
}

function workspace(folder: string): Workspace {
  const manifest = JSON.parse(readFileSync(join(root, folder, "package.json"), "utf8"));
  return {
    name: manifest.name,
    folder,
    dependencies: Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }),
  };
}

const subfolders = (folder: string) =>
  readdirSync(join(root, folder))
    .filter((name) => statSync(join(root, folder, name)).isDirectory())
    .map((name) => join(folder, name));

const packages = subfolders("packages").map(workspace);
const apps = [...subfolders("services"), "dashboard", "infra", "cli"].map(workspace);

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((path) => /\.tsx?$/.test(path) && !path.includes("node_modules"))
    .map((path) => join(root, folder, path));
}

/** The files a module imports at run time through relative paths (`import type` left out). */
function runtimeImports(source: string, from: string): string[] {
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gms),
    ...source.matchAll(/^\s*import\s+"(\.{1,2}\/[^"]+)"/gm),
    ...source.matchAll(/import\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g),
  ].map((match) => match[1] as string);
  return specifiers.map((specifier) => resolve(dirname(from), specifier));
}

/** Every circle of runtime imports among the files, each as the chain of files that closes it. */
function importCircles(files: readonly string[], read: (file: string) => string): string[][] {
  const known = new Set(files);
  const edges = new Map(files.map((file) => [file, runtimeImports(read(file), file).filter((to) => known.has(to))]));
  const circles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "visiting");
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "visiting") circles.push([...path.slice(path.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of files) if (state.get(file) === undefined) visit(file);
  return circles;
}

describe("layers", () => {
  it("keeps shared packages free of the apps built on them", () => {
    const appNames = new Set(apps.map((app) => app.name));
    const offending = packages.flatMap((pkg) =>
      pkg.dependencies.filter((dependency) => appNames.has(dependency)).map((app) => `${pkg.folder} → ${app}`),
    );
    expect(offending).toEqual([]);
    expect(packages.length).toBeGreaterThan(5);
    expect(APP_FOLDERS.every((folder) => apps.some((app) => app.folder.startsWith(folder)))).toBe(true);
  });

  it("has no circle of runtime imports in any workspace's source", () => {
    const folders = [...packages, ...apps].map((each) => join(each.folder, "src"));
    const files = folders.flatMap(sourceFiles);
    const circles = importCircles(files, (file) => readFileSync(file, "utf8"));
    expect(circles.map((circle) => circle.map((file) => relative(root, file)).join(" → "))).toEqual([]);
  });

  it("finds a circle when there is one, and ignores type-only imports", () => {
    const sources: Record<string, string> = {
      "/x/a.ts": 'import { b } from "./b.ts";',
      "/x/b.ts": 'import {\n  c,\n} from "./c.ts";',
      "/x/c.ts": 'export { a } from "./a.ts";\nimport type { T } from "./d.ts";',
      "/x/d.ts": 'import type { A } from "./a.ts";',
    };
    const read = (file: string) => sources[file] ?? "";
    expect(importCircles(Object.keys(sources), read)).toEqual([["/x/a.ts", "/x/b.ts", "/x/c.ts", "/x/a.ts"]]);
  });
});
