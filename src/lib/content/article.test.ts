import { describe, expect, it } from 'vitest';
import { bodySha256, parseArticle, slugify } from './article.ts';

const frontmatter = (sha: string, title = 'A title') =>
	[
		'---',
		`title: ${title}`,
		'language: en',
		'sources:',
		'  - { id: paper, name: The Paper, description: A newspaper. }',
		`sha256: ${sha}`,
		'---'
	].join('\n');

/** An article whose frontmatter carries the right hash of `body`. */
const article = (body: string, title?: string) =>
	`${frontmatter(bodySha256(body), title)}\n${body}`;

describe('parseArticle', () => {
	const body = [
		'# A title',
		'',
		'Intro one.',
		'',
		'Intro two,',
		'on two lines.',
		'',
		'## Café société',
		'',
		'First.',
		'## Second part!',
		'Second.',
		'',
		'## Café Société',
		'',
		'Again.',
		''
	].join('\n');

	it('splits the body into an intro and slugged sections with numbered paragraphs', () => {
		const parsed = parseArticle(article(body));
		expect(parsed.problems).toEqual([]);
		expect(parsed.title).toBe('A title');
		expect(parsed.frontmatter?.sources[0]?.id).toBe('paper');
		expect(parsed.sections).toEqual([
			{
				id: 'intro',
				heading: null,
				paragraphs: [
					{ id: 'intro-1', text: 'Intro one.' },
					{ id: 'intro-2', text: 'Intro two,\non two lines.' }
				]
			},
			{
				id: 'cafe-societe',
				heading: 'Café société',
				paragraphs: [{ id: 'cafe-societe-1', text: 'First.' }]
			},
			{
				id: 'second-part',
				heading: 'Second part!',
				paragraphs: [{ id: 'second-part-1', text: 'Second.' }]
			},
			{
				id: 'cafe-societe-2',
				heading: 'Café Société',
				paragraphs: [{ id: 'cafe-societe-2-1', text: 'Again.' }]
			}
		]);
	});

	it('hashes the body after the closing --- line, with CRLF read as LF', () => {
		const parsed = parseArticle(article(body).replace(/\n/g, '\r\n'));
		expect(parsed.problems).toEqual([]);
		expect(parsed.body).toBe(body);
		expect(parsed.bodySha256).toBe(bodySha256(body));
	});

	it('reports a stale hash at frontmatter.sha256 with the hash to paste', () => {
		const stale = `${frontmatter(bodySha256(body))}\n${body.replace('First.', 'Fist.')}`;
		const parsed = parseArticle(stale);
		const expected = bodySha256(body.replace('First.', 'Fist.'));
		expect(parsed.problems).toEqual([
			{
				path: 'frontmatter.sha256',
				message: expect.stringContaining(`whose sha256 is ${expected}`)
			}
		]);
	});

	it('gives the hash to paste when frontmatter.sha256 is missing', () => {
		const raw = `---\ntitle: A title\nlanguage: en\nsources:\n  - { id: p, name: P, description: D }\n---\n${body}`;
		expect(parseArticle(raw).problems).toEqual([
			{
				path: 'frontmatter.sha256',
				message: `is required; the body's sha256 is ${bodySha256(body)}`
			}
		]);
	});

	it('reports a body title that differs from the frontmatter title', () => {
		const parsed = parseArticle(article(body, 'Another title'));
		expect(parsed.problems).toEqual([
			{
				path: 'body',
				message: 'the "# " title "A title" differs from frontmatter.title "Another title"'
			}
		]);
	});

	it('reports a body without a title, a missing frontmatter and unsupported headings, with lines', () => {
		expect(parseArticle(article('Just text.\n')).problems).toEqual([
			{ path: 'body', message: 'line 8: the body must start with a "# Title" line' }
		]);
		expect(parseArticle('# A title\n\nText.\n').problems[0]).toEqual({
			path: 'frontmatter',
			message: 'is missing: article.md must start with a "---" line'
		});
		expect(parseArticle(article('# A title\n\n### Deep\n\nText.\n\n## Empty\n')).problems).toEqual([
			{
				path: 'body',
				message: 'line 10: only one "# Title" line and "## Heading" sections are supported'
			},
			{ path: 'body', message: 'line 14: section "Empty" has no paragraphs' }
		]);
	});

	it('reports a frontmatter YAML syntax error with its line in the file', () => {
		const raw = article(body).replace('language: en', 'language: [en');
		const problems = parseArticle(raw).problems;
		expect(problems[0]?.path).toBe('frontmatter');
		expect(problems[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+: /);
	});
});

describe('slugify', () => {
	it('lowercases, strips accents and turns other characters into single dashes', () => {
		expect(slugify("Bamako's reaction")).toBe('bamako-s-reaction');
		expect(slugify('A Somalia in West Africa?')).toBe('a-somalia-in-west-africa');
		expect(slugify('Goïta — président')).toBe('goita-president');
		expect(slugify('???')).toBe('section');
	});
});
