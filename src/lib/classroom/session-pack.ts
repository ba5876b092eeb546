/**
 * A session may ask only some of its pack's questions. Everything that counts (pacing, the
 * dashboard, results, the report, the CSVs and xAPI) reads the pack through this narrowing, so
 * none of them can count a question the session does not have. Links keep their place with no
 * questions left, so that a report can say a link was "not asked".
 */
import type { Pack } from '$lib/content/pack';

const narrowed = new WeakMap<Pack, Map<string, Pack>>();

/** The pack with only these questions, in the pack's order (the same object when it has them all). */
export function sessionPack(pack: Pack, questionIds: readonly string[]): Pack {
	const wanted = new Set(questionIds);
	const total = pack.steps.reduce((n, s) => n + s.questions.length, 0);
	if (total === wanted.size && pack.steps.every((s) => s.questions.every((q) => wanted.has(q.id))))
		return pack;
	const key = [...wanted].sort().join('\n');
	let kept = narrowed.get(pack);
	if (!kept) narrowed.set(pack, (kept = new Map()));
	let narrow = kept.get(key);
	if (!narrow) {
		narrow = {
			...pack,
			steps: pack.steps.map((step) => ({
				...step,
				questions: step.questions.filter((q) => wanted.has(q.id))
			}))
		};
		kept.set(key, narrow);
	}
	return narrow;
}

/** The question ids picked, each once, in the pack's order; the unknown ones apart. */
export function pickQuestions(
	pack: Pick<Pack, 'steps'>,
	questionIds: readonly string[]
): { picked: string[]; unknown: string[] } {
	const wanted = new Set(questionIds);
	const all = pack.steps.flatMap((s) => s.questions.map((q) => q.id));
	return {
		picked: all.filter((id) => wanted.has(id)),
		unknown: [...wanted].filter((id) => !all.includes(id))
	};
}

/** The quick short session: the first question of every link. */
export function oneQuestionPerLink(pack: Pick<Pack, 'steps'>): string[] {
	return pack.steps.flatMap((s) => s.questions.slice(0, 1).map((q) => q.id));
}
