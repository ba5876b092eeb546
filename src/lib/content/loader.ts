/**
 * Loads content packs and checks everything the schema alone cannot: that quoted passages occur
 * in the article, that answers name options the question has (so that the stored answer grades
 * fully correct), that steps follow the chain, and that the article has not changed under the
 * questions. The Vite plugin and `npm run content:check` both call it, so a pack that passes one
 * passes the other. Imports stay relative: tsx runs this outside Vite and knows no `$lib`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import * as v from 'valibot';
import { parseDocument } from 'yaml';
import { issueProblems, parseArticle, yamlErrorMessage, type ParsedArticle } from './article.ts';
import { sectionCoverage } from './coverage.ts';
import { occursIn } from './glossary.ts';
import type { Anchor, Pack, Section } from './pack.ts';
import { quotedIds as quoted } from '../questions/check.ts';
import { contentRulesOf, isQuestionType } from '../questions/registry.ts';
import { QuestionSchema, ScenarioFileSchema, type Question } from './schema.ts';
import { locatePassage, normalizePassage } from './text.ts';

/** One thing wrong with a pack: the file, the field in it, and what is wrong. */
export interface ContentProblem {
	/** Relative to the working directory when inside it (`content/mali-russia/scenario.yaml`). */
	file: string;
	/** Field path such as `steps[3].questions[0].evidence[0]`; empty for the file as a whole. */
	path: string;
	message: string;
}

/** A loaded pack, or every problem that kept it from loading. */
export type LoadResult =
	{ pack: Pack; problems: [] } | { pack?: undefined; problems: ContentProblem[] };

/** The file every pack folder has; a folder without it is not a pack. */
export const SCENARIO_FILE = 'scenario.yaml';

/** `file: path: message`, the one line a problem is printed as. */
export function formatProblem(problem: ContentProblem): string {
	return problem.path
		? `${problem.file}: ${problem.path}: ${problem.message}`
		: `${problem.file}: ${problem.message}`;
}

/** A path for messages: relative to the working directory when under it, absolute otherwise. */
function displayPath(file: string): string {
	const rel = relative(process.cwd(), file);
	if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
	return rel.split(sep).join('/');
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** Every passage the pack quotes, as written in the YAML, with the field that quotes it. */
interface Quote {
	path: string;
	text: string;
}

/**
 * Walks the raw YAML data, not the validated output, so that passages and answers of the valid
 * parts are still checked when another part fails the schema: the author sees every problem at once.
 */
function rawSteps(data: unknown): { path: string; step: Record<string, unknown> }[] {
	if (!isRecord(data)) return [];
	return listOf(data.steps).flatMap((step, i) =>
		isRecord(step) ? [{ path: `steps[${i}]`, step }] : []
	);
}

function rawQuestions(data: unknown): { path: string; question: Record<string, unknown> }[] {
	return rawSteps(data).flatMap(({ path, step }) =>
		listOf(step.questions).flatMap((question, j) =>
			isRecord(question) ? [{ path: `${path}.questions[${j}]`, question }] : []
		)
	);
}

function collectQuotes(data: unknown): Quote[] {
	const quotes: Quote[] = [];
	const add = (path: string, text: unknown) => {
		if (typeof text === 'string' && text.trim() !== '') quotes.push({ path, text });
	};
	for (const { path, step } of rawSteps(data)) {
		add(`${path}.keyPassage`, step.keyPassage);
		listOf(step.causes).forEach((c, k) =>
			add(`${path}.causes[${k}].because`, isRecord(c) ? c.because : undefined)
		);
	}
	for (const { path, question } of rawQuestions(data)) {
		listOf(question.evidence).forEach((text, k) => add(`${path}.evidence[${k}]`, text));
		// Lists a type shows as the article's sentences (evidence options, scenario passages) are quotes too.
		const rules = isQuestionType(question.type) ? contentRulesOf(question.type) : undefined;
		for (const field of rules?.quotedLists ?? []) {
			listOf(question[field]).forEach((item, k) =>
				add(`${path}.${field}[${k}].text`, isRecord(item) ? item.text : undefined)
			);
		}
	}
	return quotes;
}

/** Finds a passage in one paragraph of the article. */
function locate(sections: readonly Section[], passage: string): Anchor | null {
	for (const section of sections) {
		for (const paragraph of section.paragraphs) {
			const range = locatePassage(paragraph.text, passage);
			if (range) return { sectionId: section.id, paragraphId: paragraph.id, ...range };
		}
	}
	return null;
}

/** Why a passage was not found, as precisely as cheaply possible, to spare the author a diff by eye. */
function whyNotFound(sections: readonly Section[], passage: string, articleName: string): string {
	const paragraphs = sections.flatMap((s) => s.paragraphs.map((p) => normalizePassage(p.text)));
	const needle = normalizePassage(passage);
	if (normalizePassage(paragraphs.join(' ')).includes(needle)) {
		return `spans more than one paragraph of ${articleName}; a passage must lie within one paragraph`;
	}
	const found = (s: string) => paragraphs.some((p) => p.includes(s));
	if (paragraphs.some((p) => p.toLowerCase().includes(needle.toLowerCase()))) {
		return `not found verbatim in ${articleName} (it differs in letter case)`;
	}
	// Whether a prefix occurs is monotone in its length, so the longest matching prefix is a binary search.
	let lo = 0;
	let hi = needle.length;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (found(needle.slice(0, mid))) lo = mid;
		else hi = mid - 1;
	}
	if (lo >= 12) {
		const tail = needle.slice(Math.max(0, lo - 30), lo);
		return `not found verbatim in ${articleName} (it matches as far as ${JSON.stringify(tail)}, then differs at ${JSON.stringify(needle.slice(lo, lo + 20))})`;
	}
	return `not found verbatim in ${articleName}`;
}

/**
 * Checks that a question's answer names only what the question offers, and that it is the fully
 * correct response: the grader treats `answer` as the response that earns full credit.
 */
function checkAnswer(
	question: Question,
	path: string,
	sourceIds: readonly string[] | undefined
): { path: string; message: string }[] {
	const problems: { path: string; message: string }[] = [];
	contentRulesOf(question.type).checkAnswer(question, {
		sourceIds,
		add: (p, message) => problems.push({ path: `${path}.${p}`, message })
	});
	return problems;
}

/**
 * Steps must follow `chain` exactly. Names each chain link that has no step, each step that is
 * not in the chain, each repeated step, and each step out of place (those outside a longest run
 * in chain order, so that moving one step blames that step rather than all it passed).
 */
function checkChain(data: unknown): { path: string; message: string }[] {
	if (!isRecord(data) || !Array.isArray(data.chain)) return [];
	const chain = data.chain.filter((id): id is string => typeof id === 'string');
	const steps = rawSteps(data).flatMap(({ path, step }) =>
		typeof step.id === 'string' ? [{ path, id: step.id }] : []
	);
	const problems: { path: string; message: string }[] = [];
	const stepIds = new Set(steps.map((s) => s.id));
	chain.forEach((id, k) => {
		if (!stepIds.has(id))
			problems.push({
				path: `chain[${k}]`,
				message: `link ${JSON.stringify(id)} has no step in steps`
			});
	});
	const seen = new Map<string, string>();
	const placed: { path: string; id: string; rank: number }[] = [];
	for (const step of steps) {
		const first = seen.get(step.id);
		if (first !== undefined) {
			problems.push({
				path: `${step.path}.id`,
				message: `repeats the step ${JSON.stringify(step.id)} of ${first}`
			});
			continue;
		}
		seen.set(step.id, step.path);
		const rank = chain.indexOf(step.id);
		if (rank < 0) {
			problems.push({
				path: `${step.path}.id`,
				message: `step ${JSON.stringify(step.id)} is not a link in chain (${quoted(chain)})`
			});
		} else placed.push({ ...step, rank });
	}
	// Longest increasing subsequence of chain ranks: the steps already in order.
	const best: number[] = placed.map(() => 1);
	const prev: number[] = placed.map(() => -1);
	for (let i = 0; i < placed.length; i++) {
		for (let j = 0; j < i; j++) {
			if ((placed[j]?.rank ?? 0) < (placed[i]?.rank ?? 0) && (best[j] ?? 0) + 1 > (best[i] ?? 0)) {
				best[i] = (best[j] ?? 0) + 1;
				prev[i] = j;
			}
		}
	}
	const inOrder = new Set<number>();
	let end = best.indexOf(Math.max(0, ...best));
	while (end >= 0) {
		inOrder.add(end);
		end = prev[end] ?? -1;
	}
	placed.forEach((step, i) => {
		if (inOrder.has(i)) return;
		const after = chain[step.rank - 1];
		const where = after === undefined ? 'first' : `right after ${JSON.stringify(after)}`;
		problems.push({
			path: `${step.path}.id`,
			message: `step ${JSON.stringify(step.id)} is out of order: chain puts it ${where}`
		});
	});
	return problems;
}

/**
 * Each causal relation names another link of the chain, once. It may point backwards in the
 * chain: the order of telling is not the order of causes.
 */
function checkCauses(data: unknown): { path: string; message: string }[] {
	if (!isRecord(data) || !Array.isArray(data.chain)) return [];
	const chain = data.chain.filter((id): id is string => typeof id === 'string');
	const problems: { path: string; message: string }[] = [];
	for (const { path, step } of rawSteps(data)) {
		const seen = new Set<string>();
		listOf(step.causes).forEach((cause, k) => {
			const link = isRecord(cause) ? cause.link : undefined;
			if (typeof link !== 'string') return;
			const at = `${path}.causes[${k}].link`;
			if (link === step.id) problems.push({ path: at, message: 'a link cannot cause itself' });
			else if (!chain.includes(link))
				problems.push({
					path: at,
					message: `names no link of chain: ${JSON.stringify(link)} is not among ${quoted(chain)}`
				});
			else if (seen.has(link))
				problems.push({ path: at, message: `names ${JSON.stringify(link)} twice` });
			seen.add(link);
		});
	}
	return problems;
}

/** Every string of the scenario file except the glossary itself: the text a term must occur in. */
function scenarioStrings(value: unknown, key = ''): string[] {
	if (key === 'glossary') return [];
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap((item) => scenarioStrings(item));
	if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => scenarioStrings(v, k));
	return [];
}

/**
 * A glossary term (and each of its other forms) must occur somewhere in the pack, so that every
 * definition is one a learner can meet; and no form may belong to two entries.
 */
function checkGlossary(
	data: unknown,
	sections: readonly Section[] | undefined,
	articleName: string
): { path: string; message: string }[] {
	if (!isRecord(data)) return [];
	const texts = [
		...scenarioStrings(data),
		...(sections ?? []).flatMap((s) => [s.heading ?? '', ...s.paragraphs.map((p) => p.text)])
	];
	const problems: { path: string; message: string }[] = [];
	const owner = new Map<string, string>();
	listOf(data.glossary).forEach((entry, i) => {
		if (!isRecord(entry)) return;
		const forms = [
			{ path: `glossary[${i}].term`, form: entry.term },
			...listOf(entry.also).map((form, k) => ({ path: `glossary[${i}].also[${k}]`, form }))
		];
		for (const { path, form } of forms) {
			if (typeof form !== 'string' || form.trim() === '') continue;
			const first = owner.get(form.toLowerCase());
			if (first !== undefined && !first.startsWith(`glossary[${i}].`)) {
				problems.push({
					path,
					message: `${JSON.stringify(form)} is already defined by ${first}`
				});
			}
			owner.set(form.toLowerCase(), path);
			if (!texts.some((text) => occursIn(form, text))) {
				problems.push({
					path,
					message: `${JSON.stringify(form)} occurs nowhere in the pack (neither ${articleName} nor ${SCENARIO_FILE}) as a whole word`
				});
			}
		}
	});
	return problems;
}

/** Question ids must be unique across the pack: progress and the classroom server key on them. */
function checkQuestionIds(data: unknown): { path: string; message: string }[] {
	const seen = new Map<string, string>();
	const problems: { path: string; message: string }[] = [];
	for (const { path, question } of rawQuestions(data)) {
		if (typeof question.id !== 'string') continue;
		const first = seen.get(question.id);
		if (first === undefined) seen.set(question.id, path);
		else
			problems.push({
				path: `${path}.id`,
				message: `duplicate question id ${JSON.stringify(question.id)}: ${first} has it too`
			});
	}
	return problems;
}

/** A shallow copy without `key`: the Pack drops fields that only matter on disk. */
function omit<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
	return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) as Omit<T, K>;
}

function readText(file: string): string | undefined {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

/**
 * Loads the pack in folder `dir` (its scenario.yaml and the article it names) and checks it
 * completely. Returns the pack only when there is no problem at all; otherwise every problem
 * found, each naming its file and field.
 */
export function loadPack(dir: string): LoadResult {
	const problems: ContentProblem[] = [];
	const scenarioPath = join(dir, SCENARIO_FILE);
	const scenarioFile = displayPath(scenarioPath);
	const inScenario = (list: { path: string; message: string }[]) =>
		problems.push(...list.map((p) => ({ file: scenarioFile, ...p })));

	const scenarioRaw = readText(scenarioPath);
	if (scenarioRaw === undefined) {
		return { problems: [{ file: scenarioFile, path: '', message: 'cannot be read' }] };
	}
	const doc = parseDocument(scenarioRaw);
	if (doc.errors.length > 0) {
		return {
			problems: doc.errors.map((e) => ({
				file: scenarioFile,
				path: '',
				message: yamlErrorMessage(e)
			}))
		};
	}
	const data: unknown = doc.toJS();
	const parsed = v.safeParse(ScenarioFileSchema, data);
	if (!parsed.success) inScenario(issueProblems(parsed.issues));

	const folder = basename(dir);
	if (isRecord(data) && typeof data.id === 'string' && data.id !== folder) {
		inScenario([
			{
				path: 'id',
				message: `must equal the pack's folder name ${JSON.stringify(folder)} (is ${JSON.stringify(data.id)})`
			}
		]);
	}

	// The article: found by the file name scenario.yaml gives, beside it.
	let article: ParsedArticle | undefined;
	let articleRaw: string | undefined;
	let articleName = 'article.md';
	const named = isRecord(data) ? data.article : undefined;
	if (typeof named === 'string' && named.trim() !== '') {
		articleName = named;
		const articlePath = join(dir, named);
		if (named !== basename(named) || named.startsWith('.')) {
			inScenario([
				{
					path: 'article',
					message: `must be a file name beside ${SCENARIO_FILE} (is ${JSON.stringify(named)})`
				}
			]);
		} else if ((articleRaw = readText(articlePath)) === undefined) {
			inScenario([
				{
					path: 'article',
					message: `names ${JSON.stringify(named)}, but ${displayPath(articlePath)} does not exist`
				}
			]);
		} else {
			article = parseArticle(articleRaw);
			const articleFile = displayPath(articlePath);
			problems.push(...article.problems.map((p) => ({ file: articleFile, ...p })));
		}
	}

	inScenario(checkChain(data));
	inScenario(checkQuestionIds(data));
	inScenario(checkCauses(data));
	inScenario(checkGlossary(data, article?.sections, articleName));
	const sourceIds = article?.frontmatter?.sources.map((s) => s.id);
	for (const { path, question } of rawQuestions(data)) {
		const typed = v.safeParse(QuestionSchema, question);
		if (typed.success) inScenario(checkAnswer(typed.output, path, sourceIds));
	}

	const anchors: Record<string, Anchor> = {};
	if (article) {
		for (const quote of collectQuotes(data)) {
			const anchor = locate(article.sections, quote.text);
			if (anchor) anchors[quote.text] = anchor;
			else
				inScenario([
					{ path: quote.path, message: whyNotFound(article.sections, quote.text, articleName) }
				]);
		}
		// A section no question draws on is never sent to the learner as evidence: a gap in the pack.
		const questions = rawQuestions(data).map(({ question }) => ({
			id: String(question.id),
			evidence: listOf(question.evidence).filter((e): e is string => typeof e === 'string')
		}));
		const articleFile = displayPath(join(dir, articleName));
		for (const section of sectionCoverage(article.sections, questions, anchors)) {
			if (section.questionIds.length > 0) continue;
			problems.push({
				file: articleFile,
				path: `sections.${section.sectionId}`,
				message: `the section ${section.heading ? JSON.stringify(`## ${section.heading}`) : 'before the first heading'} is evidence for no question: add a question whose evidence quotes it`
			});
		}
	}

	if (problems.length > 0 || !parsed.success || !article?.frontmatter || articleRaw === undefined) {
		// Only reachable without problems if the article was never read, which always adds one; kept as a guard.
		return {
			problems:
				problems.length > 0
					? problems
					: [{ file: scenarioFile, path: '', message: 'could not be loaded' }]
		};
	}
	const scenario = omit(parsed.output, 'article');
	const frontmatter = omit(article.frontmatter, 'sha256');
	const version = createHash('sha256')
		.update(`${scenarioRaw}\0${articleRaw}`, 'utf8')
		.digest('hex')
		.slice(0, 16);
	const pack: Pack = {
		...scenario,
		version,
		article: { ...frontmatter, sections: article.sections },
		anchors
	};
	return { pack, problems: [] };
}

/** Every pack under `root`, sorted by folder, and every problem in any of them. */
export interface LoadAllResult {
	packs: Pack[];
	problems: ContentProblem[];
}

/**
 * Loads every pack under `root`: each subfolder holding a scenario.yaml, in folder order. Finding
 * no pack at all is a problem too, since an app without content is a broken build.
 */
export function loadPacks(root: string): LoadAllResult {
	const shown = displayPath(root);
	if (!existsSync(root) || !statSync(root).isDirectory()) {
		return {
			packs: [],
			problems: [{ file: shown, path: '', message: 'content folder not found' }]
		};
	}
	const folders = readdirSync(root, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, SCENARIO_FILE)))
		.map((entry) => entry.name)
		.sort();
	if (folders.length === 0) {
		return {
			packs: [],
			problems: [
				{
					file: shown,
					path: '',
					message: `no content packs found under ${shown} (no subfolder has a ${SCENARIO_FILE})`
				}
			]
		};
	}
	const packs: Pack[] = [];
	const problems: ContentProblem[] = [];
	for (const folder of folders) {
		const result = loadPack(join(root, folder));
		if (result.pack) packs.push(result.pack);
		else problems.push(...result.problems);
	}
	return { packs, problems };
}

/** The files a pack is made of, for watchers: every scenario.yaml and the article beside it. */
export function contentFiles(root: string): string[] {
	if (!existsSync(root)) return [];
	return readdirSync(root, { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.flatMap((entry) => {
			const dir = join(root, entry.name);
			return readdirSync(dir)
				.filter((f) => f === SCENARIO_FILE || f.endsWith('.md'))
				.map((f) => join(dir, f));
		});
}
