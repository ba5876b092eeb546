/**
 * Server-graded self-study (`ANSWER_KEYS=server`): the browser holds no answer key, so each
 * answer, hint, give-up and scenario check is a request here, graded with the one grader.
 *
 * The server keeps no state per learner. Instead every verdict carries a receipt, signed with
 * HMAC-SHA256, that records what the server has seen of that question (tries made, hint shown,
 * scenario picks checked, done); the next request for the question sends it back. So the points
 * of an answer are worked out here, from the receipt: the hint cost and the retry cap are charged
 * by the server, and a browser cannot claim a first try or an unused hint that a receipt
 * contradicts, nor re-pick a scenario after seeing its passages. (A browser that throws its
 * receipt away starts the question afresh: self-study points never leave the device, so this
 * costs no one else anything; classes grade on the server with their own records.)
 */
import { error } from '@sveltejs/kit';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { env } from '$env/dynamic/private';
import type { Pack, Question } from '$lib/content/pack';
import type { StudyBody, StudyVerdict } from '$lib/content/study-api';
import { gradeResponse, gradeScenarioPicks, MAX_ATTEMPTS, pointsFor } from '$lib/grading/score';
import { parseAnswerKeyMode } from './config';
import { isScenario } from '$lib/questions/scenario/kind';

/** Where answer keys live (ANSWER_KEYS, checked at start-up by hooks.server.ts). */
export const answerKeyMode = () => parseAnswerKeyMode(env.ANSWER_KEYS);

/** Signs receipts: ANSWER_KEY_SECRET when set (receipts then survive a restart), else random. */
const secret = env.ANSWER_KEY_SECRET || randomBytes(32).toString('hex');

const Receipt = v.object({
	/** Pack version and question: a receipt is good for that question of that version only. */
	version: v.string(),
	questionId: v.string(),
	tries: v.number(),
	hintUsed: v.boolean(),
	/** Right, out of tries, or given up: the key has been shown. */
	done: v.boolean(),
	/** Scenario picks checked so far, by scenario id: fixed once that scenario's passages are shown. */
	picks: v.record(
		v.string(),
		v.object({ supports: v.array(v.string()), against: v.array(v.string()) })
	)
});
type Receipt = v.InferOutput<typeof Receipt>;

const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signReceipt(receipt: Receipt): string {
	const payload = Buffer.from(JSON.stringify(receipt)).toString('base64url');
	return `${payload}.${sign(payload)}`;
}

/** The receipt's record if this server signed it for this question, else a 400. */
export function readReceipt(token: string | undefined, pack: Pack, questionId: string): Receipt {
	const fresh = {
		version: pack.version,
		questionId,
		tries: 0,
		hintUsed: false,
		done: false,
		picks: {}
	};
	if (token === undefined) return fresh;
	const [payload = '', signature = ''] = token.split('.');
	const expected = Buffer.from(sign(payload));
	const given = Buffer.from(signature);
	if (given.length !== expected.length || !timingSafeEqual(given, expected))
		error(400, 'This receipt was not issued by this server; start the question again.');
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(payload, 'base64url').toString());
	} catch {
		error(400, 'This receipt cannot be read.');
	}
	const receipt = v.parse(Receipt, parsed);
	if (receipt.version !== pack.version || receipt.questionId !== questionId)
		error(400, 'This receipt is for another question or another version of the scenario.');
	return receipt;
}

/** The question, revealed, with the located passages of its evidence. */
function revealed(pack: Pack, question: Question): Pick<StudyVerdict, 'question' | 'anchors'> {
	const anchors = Object.fromEntries(
		question.evidence.flatMap((p) => (pack.anchors[p] ? [[p, pack.anchors[p]]] : []))
	);
	return { question, anchors };
}

/** Answers one request about one question of `pack`; bad input is a 4xx with a message. */
export function study(pack: Pack, body: StudyBody): StudyVerdict {
	const question = pack.steps.flatMap((s) => s.questions).find((q) => q.id === body.questionId);
	if (!question) error(404, `There is no question "${body.questionId}" in ${pack.id}.`);
	const receipt = readReceipt(body.receipt, pack, question.id);
	const { request } = body;
	if (receipt.done && request.kind !== 'reveal')
		error(409, 'This question is done; start the journey again to answer it anew.');
	switch (request.kind) {
		case 'hint': {
			if (question.hint === undefined) error(404, 'This question has no hint.');
			return { hint: question.hint, receipt: signReceipt({ ...receipt, hintUsed: true }) };
		}
		case 'reveal': {
			if (receipt.tries === 0) error(409, 'Answer the question before asking for its answer.');
			return { ...revealed(pack, question), receipt: signReceipt({ ...receipt, done: true }) };
		}
		case 'picks': {
			if (!isScenario(question)) error(400, 'Only a scenario question has scenarios.');
			if (receipt.picks[request.scenarioId])
				error(409, 'This scenario is already checked; its picks cannot change.');
			const grade = gradeScenarioPicks(question, request.scenarioId, request.picks);
			if (!grade.valid) error(400, grade.error);
			const scenario = question.scenarios.find((s) => s.id === request.scenarioId);
			const picks = {
				...receipt.picks,
				[request.scenarioId]: request.picks as Receipt['picks'][string]
			};
			return {
				scenario: { supports: scenario?.supports ?? [], against: scenario?.against ?? [] },
				receipt: signReceipt({ ...receipt, picks })
			};
		}
		case 'answer': {
			if (receipt.tries >= MAX_ATTEMPTS) error(409, 'No tries are left at this question.');
			// Scenarios already checked keep the picks their reveal was earned with.
			const response =
				isScenario(question) && Object.keys(receipt.picks).length > 0
					? { ...(request.response as object), ...receipt.picks }
					: request.response;
			const grade = gradeResponse(question, response);
			if (!grade.valid) error(400, grade.error);
			const tries = receipt.tries + 1;
			// An explored scenario question has had its one try: the exploration.
			const explored = Object.keys(receipt.picks).length > 0;
			const done = grade.correct || explored || tries >= MAX_ATTEMPTS;
			return {
				credit: grade.credit,
				points: pointsFor(grade.credit, { attempt: tries, hintUsed: receipt.hintUsed }),
				...(done ? revealed(pack, question) : {}),
				receipt: signReceipt({ ...receipt, tries, done })
			};
		}
	}
}
