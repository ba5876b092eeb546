/**
 * The classroom API's request bodies, validated with the same schema library as the content.
 * Unknown fields are dropped, not refused: a client that also sends a score or a correctness
 * flag is simply not listened to.
 */
import * as v from 'valibot';
import { SESSION_MODES } from './session.machine';

export const CreateSessionBody = v.object({
	scenario: v.pipe(
		v.string('scenario must be a string'),
		v.minLength(1, 'scenario is required'),
		v.maxLength(64, 'scenario is too long')
	),
	mode: v.picklist(SESSION_MODES, `mode must be one of ${SESSION_MODES.join(', ')}`),
	title: v.optional(
		v.pipe(
			v.string('title must be a string'),
			v.trim(),
			v.maxLength(80, 'title must be at most 80 characters')
		)
	)
});

/** Nicknames are trimmed and 1–32 characters; they are shown escaped everywhere. */
export const Nickname = v.pipe(
	v.string('nickname must be a string'),
	v.trim(),
	v.minLength(1, 'nickname must not be empty'),
	v.maxLength(32, 'nickname must be at most 32 characters'),
	v.check((s) => !/[\u0000-\u001f\u007f]/.test(s), 'nickname must not contain control characters')
);

export const JoinBody = v.object({ nickname: Nickname });

export const AnswerBody = v.object({
	answerId: v.pipe(v.string('answerId must be a string'), v.uuid('answerId must be a UUID')),
	questionId: v.pipe(
		v.string('questionId must be a string'),
		v.minLength(1),
		v.maxLength(64, 'questionId is too long')
	),
	response: v.unknown()
});

export const CONTROL_ACTIONS = ['start', 'open', 'reveal', 'next', 'end'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export const ControlBody = v.object({
	action: v.picklist(CONTROL_ACTIONS, `action must be one of ${CONTROL_ACTIONS.join(', ')}`),
	questionId: v.optional(v.pipe(v.string('questionId must be a string'), v.maxLength(64)))
});

/** What a participant is told after answering. */
export interface AnswerResult {
	answerId: string;
	questionId: string;
	correct: boolean;
	points: number;
	maxPoints: number;
	explanation: string;
	evidence: string[];
}
