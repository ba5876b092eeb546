/**
 * What each caller sees of a session: its pacing, a question's key once revealed, an answer's
 * result, and the session as the host, a participant or a guest may see it (participants never
 * get an answer key before the host reveals it). Reads only; the host's pages add `host-view.ts`.
 */
import type {
	AnswerResult,
	OwnAnswer,
	Pacing,
	ParticipantView,
	RevealedKey
} from '$lib/classroom/api';
import type { ReportAnswer } from '$lib/classroom/report';
import { isQuestionRevealed, pacingOf as pacingOfSnapshot } from '$lib/classroom/session.machine';
import { questionsOf, type Pack } from '$lib/content/pack';
import { presentQuestion } from '$lib/content/present';
import { describeAnswer } from '$lib/journey/describe';
import type { Caller } from './caller';
import { dashboardOf } from './live-dashboard';
import { answersOfParticipant, type LoadedSession } from './session-store';

/** What participants need to follow the pace: status, the question on screen, revealed questions. */
export function pacingOf(session: LoadedSession): Pacing {
	return pacingOfSnapshot(session.snapshot);
}

/** A question's answer, explanation and evidence: for participants once it is revealed. */
function keyOf(questionId: string, pack: Pack): RevealedKey {
	const question = questionsOf(pack).find((q) => q.id === questionId);
	const evidence = question?.evidence ?? [];
	return {
		questionId,
		answerText: question ? describeAnswer(question, pack.article.sources) : '',
		explanation: question?.explanation ?? '',
		evidence,
		highlights: evidence.flatMap((passage) => pack.anchors[passage] ?? [])
	};
}

/** An answer's result with its question's key, for the participant who gave it. */
export function resultOf(answer: ReportAnswer, pack: Pack): AnswerResult {
	return {
		...keyOf(answer.questionId, pack),
		answerId: answer.answerId,
		correct: answer.correct,
		credit: answer.credit,
		points: answer.points,
		maxPoints: answer.maxPoints
	};
}

/** The session as the caller may see it: hosts get everything, participants no answer keys. */
export async function sessionView(session: LoadedSession, caller: Caller, origin: string) {
	const { row, pack } = session;
	const base = {
		code: row.code,
		title: row.title,
		scenario: { id: pack.id, title: pack.title },
		...pacingOf(session),
		joinUrl: `${origin}/join/${row.code}`,
		// A short session's links with none of its questions are left out.
		links: pack.steps
			.filter((s) => s.questions.length > 0)
			.map((s) => ({ id: s.id, title: s.title, questionIds: s.questions.map((q) => q.id) }))
	};
	if (caller.host) {
		return {
			...base,
			role: 'host' as const,
			joiningLocked: row.joining_locked === 1,
			dashboard: await dashboardOf(session)
		};
	}
	if (caller.participant) {
		const own = await answersOfParticipant(caller.participant.id);
		const answers = own.map((a): OwnAnswer => {
			// Before the host reveals a question, its result, explanation and evidence stay back.
			return isQuestionRevealed(session.snapshot, a.questionId)
				? { ...resultOf(a, pack), response: a.response, revealed: true }
				: { answerId: a.answerId, questionId: a.questionId, response: a.response, revealed: false };
		});
		const view: ParticipantView = {
			...base,
			role: 'participant',
			me: { participantId: caller.participant.id, nickname: caller.participant.nickname, answers },
			questions: questionsOf(pack).map(presentQuestion),
			sources: pack.article.sources,
			article: row.closed_book ? null : pack.article,
			// Revealed by the host: self-paced results come with each answer, never before it.
			keys: session.snapshot.context.revealed.map((id) => keyOf(id, pack)),
			glossary: pack.glossary
		};
		return view;
	}
	return { ...base, role: 'guest' as const };
}
