/**
 * Reads an article.md: YAML frontmatter between `---` lines, then a Markdown body of one
 * `# Title`, paragraphs separated by blank lines and `## Heading` sections. Only that much
 * Markdown is understood, on purpose: every paragraph must be addressable so that quoted
 * passages can be located and linked, and anything richer would hide text from the checker.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { parseDocument, type YAMLError } from 'yaml';
import type { Section } from './pack.ts';
import { ArticleFrontmatterSchema, type ArticleFrontmatter } from './schema.ts';
import { normalizePassage } from './text.ts';

/** A problem in one file, at a field path such as `frontmatter.sha256` or `steps[3].id`. */
export interface FieldProblem {
	/** Dotted field path with `[n]` for list positions; empty for the file as a whole. */
	path: string;
	message: string;
}

/** What {@link parseArticle} could make of an article, with every problem it found. */
export interface ParsedArticle {
	/** The validated frontmatter; absent when it is missing or invalid. */
	frontmatter?: ArticleFrontmatter;
	/** The text of the `# Title` line, or null when the body has none. */
	title: string | null;
	sections: Section[];
	/** The body as hashed: everything after the closing `---` line, with CRLF turned to LF. */
	body: string;
	/** sha256 of `body` in lowercase hex, to compare with (or paste into) `frontmatter.sha256`. */
	bodySha256: string;
	problems: FieldProblem[];
}

/** sha256 of an article body in lowercase hex. */
export function bodySha256(body: string): string {
	return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * The id of a section from its heading: lowercase, accents stripped, every other run of
 * non-alphanumerics a dash. Stable ids keep deep links and stored anchors valid across builds.
 */
export function slugify(heading: string): string {
	const slug = heading
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	return slug || 'section';
}

/**
 * The field path of a valibot issue, written like code (`steps[3].questions[0].evidence[0]`)
 * so that an author can find the field in the YAML, prefixed with `prefix` when given.
 */
export function issuePath(issue: v.BaseIssue<unknown>, prefix = ''): string {
	let path = prefix;
	for (const item of issue.path ?? []) {
		const key: unknown = item.key;
		if (typeof key === 'number') path += `[${key}]`;
		else if (typeof key === 'string' && /^[A-Za-z0-9_$-]+$/.test(key))
			path += path ? `.${key}` : key;
		else path += `[${JSON.stringify(key)}]`;
	}
	return path;
}

/**
 * An issue's message in an author's words. The schema's own messages are kept; valibot's
 * generic ones ("Invalid key: Expected never…") are reworded for the cases authors hit most.
 */
export function issueMessage(issue: v.BaseIssue<unknown>): string {
	const last = issue.path?.at(-1);
	if (last?.type === 'object' && last.origin === 'key' && issue.type === 'strict_object') {
		// valibot reports a missing field and an unknown one alike, as an issue on the key.
		return Object.hasOwn(last.input, last.key)
			? `unknown field ${JSON.stringify(last.key)}`
			: 'is required';
	}
	if (issue.kind === 'schema' && issue.message.startsWith('Invalid type:')) {
		const expected =
			issue.expected === 'Object'
				? 'a mapping of fields'
				: issue.expected === 'Array'
					? 'a list'
					: issue.expected;
		return `must be ${expected ?? 'of another type'} (got ${issue.received})`;
	}
	return issue.message;
}

/** Turns valibot issues into problems with field paths under `prefix`. */
export function issueProblems(
	issues: readonly v.BaseIssue<unknown>[],
	prefix = ''
): FieldProblem[] {
	return issues.map((issue) => ({ path: issuePath(issue, prefix), message: issueMessage(issue) }));
}

/**
 * Describes a YAML syntax error with its line and column counted in the whole file, so that
 * `lineOffset` shifts lines when the YAML is only part of the file (article frontmatter).
 */
export function yamlErrorMessage(error: YAMLError, lineOffset = 0): string {
	const first = (error.message.split('\n')[0] ?? error.message).replace(
		/ at line \d+, column \d+:?$/,
		''
	);
	const pos = error.linePos?.[0];
	const where = pos ? ` at line ${pos.line + lineOffset}, column ${pos.col}` : '';
	return `YAML syntax error${where}: ${first}`;
}

/** Parses the frontmatter's YAML text; `firstLine` is its 1-based line in the file. */
function parseFrontmatter(
	text: string,
	firstLine: number,
	problems: FieldProblem[]
): ArticleFrontmatter | undefined {
	const doc = parseDocument(text);
	if (doc.errors.length > 0) {
		for (const error of doc.errors) {
			problems.push({ path: 'frontmatter', message: yamlErrorMessage(error, firstLine - 1) });
		}
		return undefined;
	}
	const data: unknown = doc.toJS();
	const parsed = v.safeParse(ArticleFrontmatterSchema, data);
	if (parsed.success) return parsed.output;
	problems.push(...issueProblems(parsed.issues, 'frontmatter'));
	return undefined;
}

interface SectionDraft {
	id: string;
	heading: string | null;
	line: number;
	paragraphs: string[];
}

/** Splits the body into its title and sections; `firstLine` is the body's 1-based line in the file. */
function parseBody(body: string, firstLine: number, problems: FieldProblem[]) {
	const drafts: SectionDraft[] = [];
	// `intro` is reserved even when there is no intro, so a heading never takes the intro's id.
	const usedIds = new Set<string>(['intro']);
	let current: SectionDraft = { id: 'intro', heading: null, line: firstLine, paragraphs: [] };
	let lines: string[] = [];
	let title: string | null = null;
	let seenContent = false;

	const flush = () => {
		if (lines.length > 0) current.paragraphs.push(lines.join('\n'));
		lines = [];
	};

	for (const [index, raw] of body.split('\n').entries()) {
		const lineNo = firstLine + index;
		const line = raw.trim();
		if (!seenContent) {
			if (line === '') continue;
			seenContent = true;
			const titleMatch = /^#\s+(.*)$/.exec(line);
			if (titleMatch) {
				title = (titleMatch[1] ?? '').trim();
				if (title === '')
					problems.push({ path: 'body', message: `line ${lineNo}: the "# " title is empty` });
				continue;
			}
			problems.push({
				path: 'body',
				message: `line ${lineNo}: the body must start with a "# Title" line`
			});
		}
		if (line === '') {
			flush();
			continue;
		}
		const headingMatch = /^##\s+(.*)$/.exec(line);
		if (headingMatch) {
			flush();
			drafts.push(current);
			const heading = (headingMatch[1] ?? '').trim();
			let id = slugify(heading);
			for (let n = 2; usedIds.has(id); n++) id = `${slugify(heading)}-${n}`;
			usedIds.add(id);
			current = { id, heading, line: lineNo, paragraphs: [] };
			continue;
		}
		if (/^#+(\s|$)/.test(line)) {
			// Other heading levels would render as headings but be quoted as paragraphs: refuse them.
			problems.push({
				path: 'body',
				message: `line ${lineNo}: only one "# Title" line and "## Heading" sections are supported`
			});
			flush();
			continue;
		}
		lines.push(line);
	}
	flush();
	drafts.push(current);

	const sections: Section[] = [];
	for (const draft of drafts) {
		if (draft.heading === null && draft.paragraphs.length === 0) continue;
		if (draft.paragraphs.length === 0) {
			problems.push({
				path: 'body',
				message: `line ${draft.line}: section "${draft.heading}" has no paragraphs`
			});
		}
		sections.push({
			id: draft.id,
			heading: draft.heading,
			paragraphs: draft.paragraphs.map((text, i) => ({ id: `${draft.id}-${i + 1}`, text }))
		});
	}
	if (!seenContent) problems.push({ path: 'body', message: 'is empty' });
	return { title, sections };
}

/**
 * Parses an article.md into validated frontmatter and addressable sections. Never throws: every
 * problem (bad frontmatter, a stale `sha256`, a title that differs from the frontmatter's, an
 * unsupported heading) is returned with a field path, and as much of the article as could be
 * read is returned with it so that passages can still be checked.
 */
export function parseArticle(raw: string): ParsedArticle {
	const problems: FieldProblem[] = [];
	// Line endings must not change the hash or the paragraphs: an editor on Windows saves CRLF.
	const lines = raw
		.replace(/^\uFEFF/, '')
		.replace(/\r\n?/g, '\n')
		.split('\n');
	let body: string;
	let frontmatter: ArticleFrontmatter | undefined;
	let bodyFirstLine = 1;
	let rawSha: unknown;

	const close =
		lines[0]?.trimEnd() === '---' ? lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---') : -1;
	if (lines[0]?.trimEnd() !== '---') {
		problems.push({
			path: 'frontmatter',
			message: 'is missing: article.md must start with a "---" line'
		});
		body = lines.join('\n');
	} else if (close < 0) {
		problems.push({ path: 'frontmatter', message: 'has no closing "---" line' });
		body = '';
	} else {
		const fmText = lines.slice(1, close).join('\n');
		frontmatter = parseFrontmatter(fmText, 2, problems);
		const fmDoc = parseDocument(fmText);
		rawSha = fmDoc.errors.length === 0 ? fmDoc.get('sha256') : undefined;
		body = lines.slice(close + 1).join('\n');
		bodyFirstLine = close + 2;
	}

	const sha = bodySha256(body);
	if (typeof rawSha === 'string' && /^[0-9a-f]{64}$/.test(rawSha)) {
		if (rawSha !== sha) {
			problems.push({
				path: 'frontmatter.sha256',
				message: `does not match the article body, whose sha256 is ${sha}: check the passages that quote the edited text, then paste this hash`
			});
		}
	} else {
		// The schema already reports a missing or malformed hash; give the author the value to paste.
		const existing = problems.find((p) => p.path === 'frontmatter.sha256');
		if (existing) existing.message += `; the body's sha256 is ${sha}`;
	}

	const { title, sections } = parseBody(body, bodyFirstLine, problems);
	if (
		frontmatter &&
		title !== null &&
		normalizePassage(title) !== normalizePassage(frontmatter.title)
	) {
		problems.push({
			path: 'body',
			message: `the "# " title ${JSON.stringify(title)} differs from frontmatter.title ${JSON.stringify(frontmatter.title)}`
		});
	}
	return { frontmatter, title, sections, body, bodySha256: sha, problems };
}
