// Lists links and paths in the repository's Markdown that point at a file that is not in it, and
// exits 1 when there are any. Checked: Markdown links `[text](target)` (relative targets, resolved
// from the file's directory) and code spans that look like a repository path (`dir/file.ext`,
// resolved from the repository root or the file's directory). Web links, anchors, globs and
// placeholders (`<date>`) are not checked; neither are build output and dependencies.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', '.toolchain', '.turbo', 'coverage', '.test-results']);

// A code span naming a repository file: at least one directory, a file extension, no glob or placeholder.
const REPO_PATH = /^(?:\.{1,2}\/)*[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+\.[A-Za-z0-9]{1,8}$/;

/** Every `*.md` file under `root`, relative to it, outside dependencies and build output. */
function markdownFiles(root, dir = '') {
  const files = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      // `tmp/` at the root is git-ignored scratch space, like the build output.
      if (!SKIPPED_DIRS.has(entry.name) && relative !== 'tmp') files.push(...markdownFiles(root, relative));
    } else if (entry.isFile() && entry.name.endsWith('.md')) files.push(relative);
  }
  return files;
}

/** Markdown text with fenced code blocks blanked (examples, not references), line numbers kept. */
function withoutFences(text) {
  return text.replace(/^([ \t]*)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, (block) => block.replace(/[^\n]/g, ''));
}

/**
 * The dangling references of the Markdown under `root`: `{file, line, target}` for each link or
 * path-like code span that resolves to nothing in the repository.
 */
export function findDanglingLinks(root) {
  const dangling = [];
  for (const file of markdownFiles(root)) {
    const lines = withoutFences(readFileSync(path.join(root, file), 'utf8')).split('\n');
    const dir = path.dirname(path.join(root, file));
    lines.forEach((text, index) => {
      const report = (target) => dangling.push({ file, line: index + 1, target });
      for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1] ?? '';
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const clean = decodeURIComponent(target.replace(/[#?].*$/, ''));
        if (!clean) continue;
        const resolved = clean.startsWith('/') ? path.join(root, clean) : path.resolve(dir, clean);
        if (!existsSync(resolved)) report(target);
      }
      for (const match of text.matchAll(/`([^`\n]+)`/g)) {
        const span = (match[1] ?? '').trim();
        // Build output (`dist/main.js`) and local state (`.wabot/local-secrets.env`, created by
        // ./run) are named on purpose and never committed.
        if (!REPO_PATH.test(span) || /(?:^|\/)dist\//.test(span) || span.startsWith('.wabot/')) continue;
        if (existsSync(path.resolve(dir, span)) || existsSync(path.join(root, span))) continue;
        report(span);
      }
    });
  }
  return dangling;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(import.meta.dirname, '..');
  const dangling = findDanglingLinks(root);
  for (const { file, line, target } of dangling) console.error(`${file}:${line}: ${target} is not in the repository`);
  if (dangling.length) {
    console.error(`${dangling.length} dangling link(s)`);
    process.exit(1);
  }
  console.log('every relative link in the Markdown resolves');
}
