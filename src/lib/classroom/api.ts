/**
 * The classroom API's request bodies, validated with the same schema library as the content.
 * Unknown fields are dropped, not refused: a client that also sends a score or a correctness
 * flag is simply not listened to.
 */
import * as v from 'valibot';
import type { PublicQuestion } from '$lib/content/present';
import type { Anchor, Article } from '$lib/content/pack';
import type { GlossaryEntry, Source } from '$lib/content/schema';
import { SESSION_MODES, type Pacing } from './session.machine';

export type { Pacing };

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
	),
	/** Closed-book: participants are not offered the article. Open-book unless true. */
	closedBook: v.optional(v.boolean('closedBook must be true or false')),
	/** A short session: only these questions, asked in the pack's order whatever order they come in. */
	questionIds: v.optional(
		v.pipe(
			v.array(
				v.pipe(
					v.string('questionIds must be strings'),
					v.maxLength(64, 'a questionId is too long')
				),
				'questionIds must be a list of question ids'
			),
			v.minLength(1, 'questionIds must name at least one question'),
			v.maxLength(500, 'questionIds has too many entries')
		)
	)
});

/**
 * Characters that show as nothing or as blank space, so that two names look alike or a name looks
 * empty: controls, format characters (direction marks such as U+061C, joiners, soft hyphens),
 * private-use and lone surrogates, line and paragraph separators, every default-ignorable code
 * point (the combining grapheme joiner U+034F, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0)
 * and the blank Braille pattern U+2800. Variation selectors pass: they follow emoji, and the
 * duplicate-name rule ignores them.
 */
const INVISIBLE =
	/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u2800]|(?![\uFE00-\uFE0F\u{E0100}-\u{E01EF}])\p{Default_Ignorable_Code_Point}/u;

/** Nicknames are trimmed and 1–32 characters; they are shown escaped everywhere. */
export const Nickname = v.pipe(
	v.string('nickname must be a string'),
	v.trim(),
	v.minLength(1, 'nickname must not be empty'),
	v.maxLength(32, 'nickname must be at most 32 characters'),
	v.check(
		(s) => !INVISIBLE.test(s),
		'nickname must not contain control, invisible or blank characters'
	)
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

/** The host locks joining (nobody new may join) or opens it again. */
export const JoiningBody = v.object({ locked: v.boolean('locked must be true or false') });

/** Where to send a session's xAPI statements. */
export const LrsBody = v.object({
	endpoint: v.pipe(
		v.string('endpoint must be a string'),
		v.url('endpoint must be a URL'),
		v.regex(/^https?:\/\//, 'endpoint must be an http or https URL'),
		v.maxLength(500)
	),
	username: v.optional(v.pipe(v.string(), v.maxLength(200))),
	password: v.optional(v.pipe(v.string(), v.maxLength(200)))
});

/** What a participant is told after answering. */
export interface AnswerResult extends RevealedKey {
	answerId: string;
	correct: boolean;
	/** Share of the question earned, 0..1. */
	credit: number;
	points: number;
	maxPoints: number;
}

/** A revealed question's answer, for everyone in the session: those who did not answer too. */
export interface RevealedKey {
	questionId: string;
	/** The question's answer in words. */
	answerText: string;
	explanation: string;
	evidence: string[];
	/** Where the evidence is in the article, to highlight it there. */
	highlights: Anchor[];
}

/** The acknowledgement of an answer: with its result once the question is revealed, without before. */
export type AnswerAck =
	({ revealed: true } & AnswerResult) | { revealed: false; answerId: string; questionId: string };

/** A participant's own answer, as their view lists it. */
export type OwnAnswer = AnswerAck & { response: unknown };

/** What a participant receives about their session: no answer keys, nobody else's answers. */
export interface ParticipantView extends Pacing {
	role: 'participant';
	code: string;
	title: string;
	scenario: { id: string; title: string };
	joinUrl: string;
	links: Array<{ id: string; title: string; questionIds: string[] }>;
	me: { participantId: string; nickname: string; answers: OwnAnswer[] };
	questions: PublicQuestion[];
	sources: Source[];
	/** The article to read during the session; null when the teacher made it closed-book. */
	article: Article | null;
	/** The answers of the questions the host has revealed. */
	keys: RevealedKey[];
	/** The pack's glossary, for the definitions shown in prompts and feedback. */
	glossary: GlossaryEntry[];
}
