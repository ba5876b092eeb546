/**
 * `npm run content:check`: loads and checks every content pack under `content/` (or env
 * `CONTENT_DIR`) exactly as the build does. Prints every problem as `file: field: message` and
 * exits 1 on any (a section of the article that no question uses as evidence is one); on success
 * prints one line per pack, then, per section of its article, the questions that use it as
 * evidence, and exits 0.
 */
import { resolve } from 'node:path';
import { formatProblem, loadPacks } from '../src/lib/content/loader.ts';
import { sectionCoverage } from '../src/lib/content/coverage.ts';
import { questionsOf, type Pack } from '../src/lib/content/pack.ts';
import { QUESTION_TYPES } from '../src/lib/questions/registry.ts';

/** One line per pack: enough to see at a glance what a pack exercises. */
function summary(pack: Pack): string {
	const questions = questionsOf(pack);
	const used = new Set(questions.map((q) => q.type));
	const types = QUESTION_TYPES.filter((t) => used.has(t));
	return `${pack.id}: ${pack.steps.length} steps, ${questions.length} questions, types: ${types.join(', ')}, ${pack.glossary.length} glossary term${pack.glossary.length === 1 ? '' : 's'}`;
}

/** One indented line per article section: its heading and the questions that quote it as evidence. */
function coverageReport(pack: Pack): string[] {
	return sectionCoverage(pack.article.sections, questionsOf(pack), pack.anchors).map(
		(s) => `  ${s.heading ?? '(intro)'}: ${s.questionIds.join(', ')}`
	);
}

const dir = process.env.CONTENT_DIR ?? 'content';
const { packs, problems } = loadPacks(resolve(dir));

for (const pack of packs) {
	console.log(`ok ${summary(pack)}`);
	console.log(['  evidence by section of the article:', ...coverageReport(pack)].join('\n'));
}
for (const problem of problems) console.error(formatProblem(problem));
if (problems.length > 0) {
	console.error(
		`\ncontent check failed: ${problems.length} problem${problems.length === 1 ? '' : 's'} under ${dir}`
	);
	process.exitCode = 1;
}
