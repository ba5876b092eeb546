/**
 * The server-graded self-study API (`POST /api/study/{pack}`), shared by the page and the server:
 * what a learner's browser may ask about one question, and what it gets back. See docs/API.md.
 */
import * as v from 'valibot';
import type { Anchor, Question } from './pack.ts';
import type { ScenarioPicks } from './schema.ts';

export const StudyRequest = v.variant('kind', [
	/** Grade a response (the first try or the retry). */
	v.object({ kind: v.literal('answer'), response: v.unknown() }),
	/** Show the hint; its cost is then charged on this question's answer. */
	v.object({ kind: v.literal('hint') }),
	/** Give up after a wrong try: the answer and explanation, no points more. */
	v.object({ kind: v.literal('reveal') }),
	/** Check the passages picked for one scenario of a scenario question, and show that scenario's. */
	v.object({ kind: v.literal('picks'), scenarioId: v.string(), picks: v.unknown() })
]);
export type StudyRequest = v.InferOutput<typeof StudyRequest>;

export const StudyBody = v.object({
	questionId: v.pipe(v.string(), v.maxLength(100)),
	/** The receipt of this question's last request, if any: what the server has seen of it. */
	receipt: v.optional(v.pipe(v.string(), v.maxLength(4000))),
	request: StudyRequest
});
export type StudyBody = v.InferOutput<typeof StudyBody>;

/** A scenario's own passages, revealed once the learner has picked theirs. */
export interface RevealedScenario {
	supports: string[];
	against: string[];
}

/** The server's answer to one request. */
export interface StudyVerdict {
	/** Signed record of this question so far (tries, hint, picks); send it with the next request. */
	receipt: string;
	/** For an answer: the share earned (0..1), and the points with any hint charged. */
	credit?: number;
	points?: number;
	/** For a hint: its text. */
	hint?: string;
	/** For picks: the scenario's own passages. */
	scenario?: RevealedScenario;
	/** Once the question is done (right, out of tries, or given up): the whole question. */
	question?: Question;
	/** The located evidence passages of the revealed question, to highlight in the article. */
	anchors?: Record<string, Anchor>;
}

export type { ScenarioPicks };
