/**
 * A pack as a server-graded (`ANSWER_KEYS=server`) self-study page receives it: every question
 * without its key (`presentQuestion`), a flag saying whether a hint can be asked for, and only the
 * located passages that the questions themselves show (key passages, options, scenario passages),
 * so that the anchors do not name the evidence either.
 */
import type { Pack, Step } from './pack.ts';
import { presentQuestion, type PublicQuestion } from './present.ts';

/** A question before it is answered, in server-graded self-study. */
export type StudyQuestion = PublicQuestion & { hasHint: boolean };

/** A question as server-graded self-study shows it before it is answered: already presented. */
export const isStudyQuestion = (question: object): question is StudyQuestion =>
	'hasHint' in question;

export interface PublicStep extends Omit<Step, 'questions'> {
	questions: StudyQuestion[];
}

export interface PublicPack extends Omit<Pack, 'steps'> {
	steps: PublicStep[];
}

/** The pack without any question's answer, explanation, evidence or hint. */
export function publicPack(pack: Pack): PublicPack {
	const steps = pack.steps.map((step) => ({
		...step,
		questions: step.questions.map((q) => ({ ...presentQuestion(q), hasHint: q.hint !== undefined }))
	}));
	const shown = JSON.stringify(steps);
	const anchors = Object.fromEntries(
		Object.entries(pack.anchors).filter(([passage]) => shown.includes(JSON.stringify(passage)))
	);
	// Its own version: progress saved under the other mode (with or without keys) is not resumed.
	return { ...pack, version: `${pack.version}.server-graded`, steps, anchors };
}
