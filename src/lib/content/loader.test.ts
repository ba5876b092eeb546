import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { bodySha256, parseArticle } from './article.ts';
import { formatProblem, loadPack, loadPacks, type ContentProblem } from './loader.ts';
import { questionsOf } from './pack.ts';
import { locatePassage } from './text.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const REAL_PACK = fileURLToPath(new URL('../../../content/mali-russia', import.meta.url));

/** The folder of a fixture pack; every fixture pack is called `tiny`. */
const fixture = (name: string) => join(FIXTURES, name, 'tiny');
/** A file of a fixture pack as problems name it: relative to the working directory. */
const fileOf = (name: string, file: string) => relative(process.cwd(), join(fixture(name), file));

function problemsOf(name: string): ContentProblem[] {
	const result = loadPack(fixture(name));
	expect(result.pack).toBeUndefined();
	return result.problems;
}

const temps: string[] = [];
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'causeway-content-'));
	temps.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadPack on a good pack', () => {
	const result = loadPack(fixture('good'));

	it('loads without problems', () => {
		expect(result.problems).toEqual([]);
		expect(result.pack?.id).toBe('tiny');
	});

	it('drops the on-disk fields and keeps the frontmatter without its hash', () => {
		const pack = result.pack;
		expect(pack).toBeDefined();
		if (!pack) return;
		expect(pack).not.toHaveProperty('article.sha256');
		expect(pack).not.toHaveProperty('article.article');
		expect(Object.keys(pack).sort()).toEqual([
			'anchors',
			'article',
			'chain',
			'glossary',
			'id',
			'steps',
			'summary',
			'title',
			'version'
		]);
		expect(pack.article.title).toBe('Tinyville’s dry summer');
		expect(pack.article.sources.map((s) => s.id)).toEqual(['daily-post', 'river-board']);
		expect(pack.article.sections.map((s) => s.id)).toEqual([
			'intro',
			'a-dry-summer',
			'rationing',
			'a-new-well'
		]);
		expect(pack.steps.map((s) => s.id)).toEqual(pack.chain);
		expect(questionsOf(pack)).toHaveLength(9);
	});

	it('keeps causal relations, with a stated claim by default, and anchors their sentences', () => {
		const pack = result.pack;
		if (!pack) throw new Error('the good pack loads');
		expect(pack.steps.map((s) => s.causes)).toEqual([
			[
				{
					link: 'rationing',
					claim: 'inferred',
					because: 'The council rationed water to two hours a day.'
				}
			],
			[{ link: 'well', claim: 'stated', because: 'In the end, the council dug a new well.' }],
			[]
		]);
		expect(pack.anchors['In the end, the council dug a new well.']?.sectionId).toBe('a-new-well');
		expect(pack.glossary.map((g) => g.term)).toEqual(['rationing']);
	});

	it('versions the pack by the bytes of both files', () => {
		expect(result.pack?.version).toMatch(/^[0-9a-f]{16}$/);
	});

	it('anchors every quoted passage, keyed exactly as written, at the article’s own characters', () => {
		const pack = result.pack;
		if (!pack) throw new Error('no pack');
		const straight = '"We have never seen it so low," said the mayor';
		expect(pack.anchors[straight]).toEqual({
			sectionId: 'a-dry-summer',
			paragraphId: 'a-dry-summer-2',
			start: 0,
			end: 46
		});
		const paragraph = pack.article.sections[1]?.paragraphs[1]?.text ?? '';
		expect(paragraph.slice(0, 46)).toBe('“We have never seen it so low,” said the mayor');
		// The key passage has a run of spaces; the article has a line break there.
		const key = 'Farmers, angry at the rationing,   blocked the main road.';
		expect(pack.anchors[key]?.paragraphId).toBe('rationing-1');
		// Scenario passages are anchored too.
		expect(pack.anchors['drew all its water from one river']).toEqual({
			sectionId: 'intro',
			paragraphId: 'intro-1',
			start: 22,
			end: 55
		});
		for (const [passage, anchor] of Object.entries(pack.anchors)) {
			const text = pack.article.sections
				.find((s) => s.id === anchor.sectionId)
				?.paragraphs.find((p) => p.id === anchor.paragraphId)?.text;
			expect(text && locatePassage(text, passage)).toEqual({
				start: anchor.start,
				end: anchor.end
			});
		}
		expect(Object.keys(pack.anchors)).toHaveLength(11);
	});

	it('is plain data that survives JSON unchanged', () => {
		expect(JSON.parse(JSON.stringify(result.pack))).toEqual(result.pack);
	});
});

describe('loadPack names the file and field of each kind of problem', () => {
	it('a YAML syntax error, with its line', () => {
		expect(problemsOf('yaml-syntax')[0]).toEqual({
			file: fileOf('yaml-syntax', 'scenario.yaml'),
			path: '',
			message:
				'YAML syntax error at line 8, column 12: Nested mappings are not allowed in compact mappings'
		});
	});

	it('schema violations: an unknown question type, a missing field, an unknown field, a bad value', () => {
		const file = fileOf('schema', 'scenario.yaml');
		expect(problemsOf('schema')).toEqual([
			{
				file,
				path: 'steps[0].questions[1].type',
				message: expect.stringContaining('must have a type: one of choice, multi,')
			},
			{ file, path: 'steps[1].questions[0].explanation', message: 'is required' },
			{
				file,
				path: 'steps[1].questions[1].skill',
				message: expect.stringContaining('must be one of recall')
			},
			{ file, path: 'steps[2].questions[2].colour', message: 'unknown field "colour"' }
		]);
	});

	describe('answers naming what the question does not have', () => {
		const problems = problemsOf('bad-answers');
		const at = (path: string) => problems.filter((p) => p.path === path).map((p) => p.message);

		it('names the file of every problem', () => {
			expect(new Set(problems.map((p) => p.file))).toEqual(
				new Set([fileOf('bad-answers', 'scenario.yaml')])
			);
			expect(problems).toHaveLength(16);
		});
		it('choice and evidence: an answer that is no option', () => {
			expect(at('steps[0].questions[0].answer')).toEqual([
				expect.stringContaining('"boards" is not among "board", "mayor"')
			]);
			expect(at('steps[0].questions[2].answer')).toEqual([
				expect.stringContaining('"mayors" is not among')
			]);
		});
		it('numeric: nothing to cross-check', () => {
			expect(problems.filter((p) => p.path.startsWith('steps[0].questions[1]'))).toEqual([]);
		});
		it('multi: an unknown id', () => {
			expect(at('steps[1].questions[0].answer[1]')).toEqual([
				expect.stringContaining('"roads" is not among')
			]);
		});
		it('order: an unknown id, and an answer that is not a permutation of all items', () => {
			expect(at('steps[1].questions[1].answer[1]')).toEqual([
				expect.stringContaining('"flood" is not among')
			]);
			expect(at('steps[1].questions[1].answer')).toEqual([
				'must list every item exactly once; it leaves out "ration"'
			]);
		});
		it('match: keys must be exactly the left ids and values right ids', () => {
			expect(at('steps[1].questions[2].answer.dry')).toEqual([
				expect.stringContaining('names no right item: "lower"')
			]);
			expect(at('steps[1].questions[2].answer.rain')).toEqual([
				expect.stringContaining('names no left item: "rain"')
			]);
			expect(at('steps[1].questions[2].answer')).toEqual([
				'must pair every left item; it leaves out "ration"'
			]);
		});
		it('source: options must be frontmatter sources, and the answer one of the options', () => {
			expect(at('steps[2].questions[0].options[1]')).toEqual([
				expect.stringContaining(`names no source in the article's frontmatter: "times"`)
			]);
			expect(at('steps[2].questions[0].answer')).toEqual([
				expect.stringContaining('"tribune" is not among "daily-post", "times"')
			]);
		});
		it('scenario: supports and answers must name passages, the answer every scenario and no other', () => {
			expect(at('steps[2].questions[1].scenarios[0].supports[1]')).toEqual([
				expect.stringContaining('"road" is not among')
			]);
			expect(at('steps[2].questions[1].answer.protest.supports[1]')).toEqual([
				expect.stringContaining('"road" is not among')
			]);
			expect(at('steps[2].questions[3].answer.flood')).toEqual([
				expect.stringContaining('"flood" is not among "well", "river"')
			]);
			expect(at('steps[2].questions[3].answer.flood.supports[1]')).toEqual([
				expect.stringContaining('"rain" is not among')
			]);
			expect(at('steps[2].questions[3].answer')).toEqual([
				'must weigh every scenario; it leaves out "well"'
			]);
		});
		it('scenario: each scenario’s answer must be exactly the passages it lists on each side', () => {
			expect(at('steps[2].questions[1].answer.drought')).toEqual([
				expect.stringContaining(
					'must be exactly the passages that scenario "drought" lists as supporting ("river", "one-river")'
				)
			]);
		});
	});

	it('passages not verbatim in the article: evidence, evidence options, key passages, scenario passages', () => {
		const file = fileOf('bad-evidence', 'scenario.yaml');
		const problems = problemsOf('bad-evidence');
		expect(problems).toHaveLength(4);
		expect(problems).toContainEqual({
			file,
			path: 'steps[0].questions[0].evidence[0]',
			message: expect.stringMatching(
				/^not found verbatim in article\.md \(it matches as far as ".*driest on recor", then differs at "t, the River/
			)
		});
		expect(problems).toContainEqual({
			file,
			path: 'steps[0].questions[2].options[0].text',
			message: 'not found verbatim in article.md (it differs in letter case)'
		});
		expect(problems).toContainEqual({
			file,
			path: 'steps[1].keyPassage',
			message: expect.stringContaining('not found verbatim in article.md')
		});
		expect(problems).toContainEqual({
			file,
			path: 'steps[2].questions[1].passages[2].text',
			message:
				'spans more than one paragraph of article.md; a passage must lie within one paragraph'
		});
	});

	it('a question id used twice in the pack', () => {
		expect(problemsOf('duplicate-ids')).toEqual([
			{
				file: fileOf('duplicate-ids', 'scenario.yaml'),
				path: 'steps[2].questions[2].id',
				message: 'duplicate question id "drought-choice": steps[0].questions[0] has it too'
			}
		]);
	});

	it('causal relations naming no other link of the chain, or quoting a sentence not in the article', () => {
		const file = fileOf('bad-causes', 'scenario.yaml');
		expect(problemsOf('bad-causes')).toEqual([
			{ file, path: 'steps[0].causes[1].link', message: 'a link cannot cause itself' },
			{
				file,
				path: 'steps[0].causes[2].link',
				message: 'names no link of chain: "flood" is not among "drought", "rationing", "well"'
			},
			{
				file,
				path: 'steps[0].causes[0].because',
				message: expect.stringContaining('not found verbatim in article.md')
			}
		]);
	});

	it('a glossary term found nowhere in the pack, and a form two entries claim', () => {
		const file = fileOf('bad-glossary', 'scenario.yaml');
		expect(problemsOf('bad-glossary')).toEqual([
			{
				file,
				path: 'glossary[1].term',
				message:
					'"monsoon" occurs nowhere in the pack (neither article.md nor scenario.yaml) as a whole word'
			},
			{
				file,
				path: 'glossary[2].also[0]',
				message: '"rationed" is already defined by glossary[0].also[0]'
			}
		]);
	});

	it('a section of the article that no question uses as evidence', () => {
		expect(problemsOf('uncovered-section')).toEqual([
			{
				file: fileOf('uncovered-section', 'article.md'),
				path: 'sections.next-summer',
				message:
					'the section "## Next summer" is evidence for no question: add a question whose evidence quotes it'
			}
		]);
	});

	it('a chain link without a step, and a step outside the chain', () => {
		const file = fileOf('chain-mismatch', 'scenario.yaml');
		expect(problemsOf('chain-mismatch')).toEqual([
			{ file, path: 'chain[2]', message: 'link "flood" has no step in steps' },
			{
				file,
				path: 'steps[2].id',
				message: 'step "well" is not a link in chain ("drought", "rationing", "flood")'
			}
		]);
	});

	it('a step out of chain order', () => {
		expect(problemsOf('chain-order')).toEqual([
			{
				file: fileOf('chain-order', 'scenario.yaml'),
				path: 'steps[2].id',
				message: 'step "rationing" is out of order: chain puts it right after "drought"'
			}
		]);
	});

	it('an article hash that no longer matches, with the hash to paste', () => {
		const raw = readFileSync(join(fixture('hash-mismatch'), 'article.md'), 'utf8');
		const body = raw.slice(raw.indexOf('\n---\n') + 5);
		expect(problemsOf('hash-mismatch')).toEqual([
			{
				file: fileOf('hash-mismatch', 'article.md'),
				path: 'frontmatter.sha256',
				message: expect.stringContaining(
					`does not match the article body, whose sha256 is ${bodySha256(body)}`
				)
			}
		]);
	});

	it('a missing article file', () => {
		expect(problemsOf('missing-article')).toEqual([
			{
				file: fileOf('missing-article', 'scenario.yaml'),
				path: 'article',
				message: `names "article.md", but ${fileOf('missing-article', 'article.md')} does not exist`
			}
		]);
	});

	it('invalid frontmatter', () => {
		const file = fileOf('bad-frontmatter', 'article.md');
		expect(problemsOf('bad-frontmatter')).toEqual([
			{ file, path: 'frontmatter.language', message: 'must be a language tag such as en' },
			{ file, path: 'frontmatter.sources[1].description', message: 'is required' },
			{ file, path: 'frontmatter.author', message: 'unknown field "author"' }
		]);
	});

	it('frontmatter that is not valid YAML, with its line in article.md', () => {
		expect(problemsOf('frontmatter-syntax')).toEqual([
			{
				file: fileOf('frontmatter-syntax', 'article.md'),
				path: 'frontmatter',
				message:
					'YAML syntax error at line 9, column 11: Nested mappings are not allowed in compact mappings'
			}
		]);
	});

	it('a body title that differs from the frontmatter title', () => {
		expect(problemsOf('title-mismatch')).toEqual([
			{
				file: fileOf('title-mismatch', 'article.md'),
				path: 'body',
				message:
					'the "# " title "Tinyville’s wet summer" differs from frontmatter.title "Tinyville’s dry summer"'
			}
		]);
	});

	it('a pack id that is not its folder name', () => {
		expect(problemsOf('wrong-id')).toEqual([
			{
				file: fileOf('wrong-id', 'scenario.yaml'),
				path: 'id',
				message: `must equal the pack's folder name "tiny" (is "tinier")`
			}
		]);
	});
});

describe('formatProblem', () => {
	it('prints file, field and message on one line', () => {
		expect(
			formatProblem({
				file: 'content/x/scenario.yaml',
				path: 'steps[3].questions[0].evidence[0]',
				message: 'not found verbatim in article.md'
			})
		).toBe(
			'content/x/scenario.yaml: steps[3].questions[0].evidence[0]: not found verbatim in article.md'
		);
		expect(
			formatProblem({ file: 'content/x/scenario.yaml', path: '', message: 'cannot be read' })
		).toBe('content/x/scenario.yaml: cannot be read');
	});
});

describe('loadPacks', () => {
	it('loads every folder with a scenario.yaml, sorted, and gathers every problem', () => {
		const root = tempDir();
		cpSync(fixture('good'), join(root, 'tiny'), { recursive: true });
		cpSync(fixture('good'), join(root, 'alpha'), { recursive: true });
		const scenario = join(root, 'alpha', 'scenario.yaml');
		writeFileSync(scenario, readFileSync(scenario, 'utf8').replace('id: tiny\n', 'id: alpha\n'));
		cpSync(fixture('wrong-id'), join(root, 'broken'), { recursive: true });
		cpSync(fixture('duplicate-ids'), join(root, 'dup'), { recursive: true });
		writeFileSync(
			join(root, 'dup', 'scenario.yaml'),
			readFileSync(join(root, 'dup', 'scenario.yaml'), 'utf8').replace('id: tiny\n', 'id: dup\n')
		);
		// A folder without scenario.yaml is not a pack.
		mkdirSync(join(root, 'notes'));
		cpSync(join(fixture('good'), 'article.md'), join(root, 'notes', 'article.md'));

		const { packs, problems } = loadPacks(root);
		expect(packs.map((p) => p.id)).toEqual(['alpha', 'tiny']);
		expect(problems.map((p) => [p.path, p.message.slice(0, 30)])).toEqual([
			['id', `must equal the pack's folder n`],
			['steps[2].questions[2].id', 'duplicate question id "drought']
		]);
		expect(problems[0]?.file).toBe(join(root, 'broken', 'scenario.yaml'));
	});

	it('reports a folder without packs', () => {
		const root = tempDir();
		expect(loadPacks(root)).toEqual({
			packs: [],
			problems: [
				{
					file: root,
					path: '',
					message: `no content packs found under ${root} (no subfolder has a scenario.yaml)`
				}
			]
		});
		expect(loadPacks(join(root, 'nowhere')).problems[0]?.message).toBe('content folder not found');
	});
});

describe('the real pack', () => {
	it('exists', () => {
		expect(
			existsSync(join(REAL_PACK, 'scenario.yaml')),
			`${REAL_PACK}/scenario.yaml is missing`
		).toBe(true);
		expect(existsSync(join(REAL_PACK, 'article.md')), `${REAL_PACK}/article.md is missing`).toBe(
			true
		);
	});

	it('loads without problems', () => {
		expect(loadPack(REAL_PACK).problems.map(formatProblem)).toEqual([]);
	});

	it('fails, naming the field, when one evidence passage changes by a single character', () => {
		const dir = join(tempDir(), 'mali-russia');
		cpSync(REAL_PACK, dir, { recursive: true });
		const scenarioPath = join(dir, 'scenario.yaml');
		const doc = parseDocument(readFileSync(scenarioPath, 'utf8'));
		const stepIndex = Math.min(3, (doc.toJS() as { steps: unknown[] }).steps.length - 1);
		const path = ['steps', stepIndex, 'questions', 0, 'evidence', 0];
		const passage = doc.getIn(path);
		expect(typeof passage).toBe('string');
		const text = String(passage);
		// Change one letter in the second half: a typo an author could make when copying.
		let at = Math.floor(text.length / 2);
		while (at < text.length && !/[a-z]/.test(text.charAt(at))) at++;
		expect(at).toBeLessThan(text.length);
		const altered = text.slice(0, at) + (text.charAt(at) === 'x' ? 'q' : 'x') + text.slice(at + 1);
		doc.setIn(path, altered);
		writeFileSync(scenarioPath, String(doc));

		// The article is untouched, so only the altered passage can fail.
		expect(parseArticle(readFileSync(join(dir, 'article.md'), 'utf8')).problems).toEqual([]);
		const field = `steps[${stepIndex}].questions[0].evidence[0]`;
		const result = loadPack(dir);
		expect(result.pack).toBeUndefined();
		expect(result.problems.filter((p) => p.path === field)).toEqual([
			{
				file: scenarioPath,
				path: field,
				message: expect.stringContaining('not found verbatim in article.md')
			}
		]);
	});
});
