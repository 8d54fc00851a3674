import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The repository's docs stand alone: every relative link in a tracked Markdown file points
 * at a file (and heading) that exists, and no doc leans on material outside the repository
 * (the product description lives in docs/concepts.md).
 */
const ROOT = path.resolve(import.meta.dirname, "..");

const markdownFiles = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "*.md"], { cwd: ROOT, encoding: "utf8" })
  .split("\0")
  .filter((f) => f && !f.startsWith("node_modules/") && existsSync(path.join(ROOT, f)));

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, "");
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading!
      .replace(/`/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

function relativeLinks(markdown: string): string[] {
  const links = [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  return links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l));
}

function brokenLinks(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const broken: string[] = [];
  for (const link of relativeLinks(text)) {
    const [target, anchor] = link.split("#") as [string, string | undefined];
    const resolved = target ? path.resolve(path.dirname(path.join(ROOT, file)), decodeURIComponent(target)) : path.join(ROOT, file);
    if (!resolved.startsWith(ROOT + path.sep) || !existsSync(resolved)) {
      broken.push(`${link} (no such file)`);
      continue;
    }
    if (anchor && resolved.endsWith(".md") && statSync(resolved).isFile() && !anchors(readFileSync(resolved, "utf8")).has(anchor)) {
      broken.push(`${link} (no such heading)`);
    }
  }
  return broken;
}

describe("the repository's Markdown", () => {
  it("finds the docs", () => {
    expect(markdownFiles).toEqual(expect.arrayContaining(["README.md", "docs/concepts.md", "docs/api-reference.md"]));
  });

  it.each(markdownFiles)("%s: every relative link resolves", (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it.each(markdownFiles.filter((f) => f === "README.md" || f.startsWith("docs/")))(
    "%s: relies on nothing outside the repository",
    (file) => {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const outside = [/\.\.\/shared\//, /\bPRODUCT\.md\b/, /\bthe seed\b/i, /\bseed's\b/i, /Topups Only Model/i].filter((re) => re.test(text));
      // concepts.md says once that it is what code comments call PRODUCT.md.
      const allowed = file === "docs/concepts.md" ? outside.filter((re) => re.source !== "\\bPRODUCT\\.md\\b") : outside;
      expect(allowed.map(String)).toEqual([]);
    },
  );

  it("reads GitHub's anchors", () => {
    expect([...anchors("# The ledger (lib/ledger)\n## Platform settings (`/accounts/self`)\n## A\n## A\n```\n# not a heading\n```")]).toEqual([
      "the-ledger-libledger",
      "platform-settings-accountsself",
      "a",
      "a-1",
    ]);
    expect(relativeLinks("[a](b.md) [c](https://x.y) `[d](e.md)` [f](#g)")).toEqual(["b.md", "#g"]);
  });
});
