import { describe, expect, it } from 'vitest';
import { tinyPack } from './fixture';
import {
	exportHistory,
	HISTORY_KEY,
	importHistory,
	missedMostRecentFirst,
	readHistory,
	recordAttempt,
	summariseAttempt
} from './history';
import { calibrationOf, type AnswerBook } from './journey.progress';

function memoryStore() {
	const map = new Map<string, string>();
	return {
		map,
		getItem: (k: string) => map.get(k) ?? null,
		setItem: (k: string, value: string) => void map.set(k, value),
		removeItem: (k: string) => void map.delete(k)
	};
}

const answers: AnswerBook = {
	'q-choice': { attempts: [{ response: 'a', credit: 1, confidence: 'sure' }], hintUsed: false },
	'q-order': {
		attempts: [{ response: ['z', 'y', 'x'], credit: 1 / 3, confidence: 'sure' }],
		hintUsed: false
	},
	'q-numeric': { attempts: [{ response: 2, credit: 0, confidence: 'guessing' }], hintUsed: true },
	'q-multi': { attempts: [{ response: ['m', 'n'], credit: 1 }], hintUsed: false }
};

describe('calibrationOf', () => {
	it('counts the last try of each question at its confidence level; unsaid levels are left out', () => {
		expect(calibrationOf(tinyPack, answers)).toEqual([
			{ level: 'sure', answered: 2, correct: 1 },
			{ level: 'think-so', answered: 0, correct: 0 },
			{ level: 'guessing', answered: 1, correct: 0 }
		]);
	});
});

describe('the history of finished attempts', () => {
	const first = summariseAttempt(
		tinyPack,
		answers,
		Date.UTC(2025, 0, 1, 10),
		Date.UTC(2025, 0, 1, 11)
	);
	const second = summariseAttempt(
		tinyPack,
		{},
		Date.UTC(2025, 0, 2, 10),
		Date.UTC(2025, 0, 2, 10, 30)
	);

	it('summarises an attempt: dates, score, mastery per link and skill, calibration, missed', () => {
		expect(first).toMatchObject({
			packId: 'tiny',
			version: 'v1',
			startedAt: '2025-01-01T10:00:00.000Z',
			finishedAt: '2025-01-01T11:00:00.000Z',
			points: 23,
			maxPoints: 40,
			missed: ['q-order', 'q-numeric']
		});
		expect(first.links.map((l) => [l.linkId, l.share])).toEqual([
			['rain', 13 / 20],
			['mud', 0],
			['mess', 1]
		]);
		expect(first.skills).toEqual([{ skill: 'recall', share: 23 / 40 }]);
	});

	it('records attempts oldest first, once each, and reads nothing from damaged storage', () => {
		const store = memoryStore();
		expect(readHistory(store)).toEqual([]);
		recordAttempt(store, second);
		recordAttempt(store, first);
		recordAttempt(store, first);
		expect(readHistory(store).map((a) => a.id)).toEqual([first.id, second.id]);
		store.setItem(HISTORY_KEY, '{oops');
		expect(readHistory(store)).toEqual([]);
	});

	it('exports and imports into a fresh store, restoring the history; a second import adds nothing', () => {
		const from = memoryStore();
		recordAttempt(from, first);
		recordAttempt(from, second);
		const file = exportHistory(from);
		const to = memoryStore();
		expect(importHistory(to, file)).toEqual({ ok: true, added: 2 });
		expect(readHistory(to)).toEqual(readHistory(from));
		expect(importHistory(to, file)).toEqual({ ok: true, added: 0 });
	});

	it('refuses a file that is not a history and keeps what is stored', () => {
		const store = memoryStore();
		recordAttempt(store, first);
		const before = store.map.get(HISTORY_KEY);
		const messageOf = (file: string) => {
			const result = importHistory(store, file);
			expect(result.ok).toBe(false);
			return result.ok ? '' : result.message;
		};
		// Plain words, no validator's field paths or "Expected … but received …".
		for (const bad of ['not json', '{}', JSON.stringify({ attempts: [] }), '[1,2]', 'null']) {
			expect(messageOf(bad)).toBe(
				'That file is not a Causeway progress file. Choose the file that “Export to a file” saved (causeway-progress.json). Nothing was changed.'
			);
		}
		expect(messageOf(JSON.stringify({ format: 99, attempts: [] }))).toMatch(
			/^That progress file was saved by a newer version of Causeway/
		);
		const tampered = JSON.parse(exportHistory(store)) as { attempts: Array<{ points: unknown }> };
		tampered.attempts[0]!.points = 'lots';
		expect(messageOf(JSON.stringify(tampered))).toBe(
			'That progress file is damaged or was changed by hand, so it cannot be read. Nothing was changed.'
		);
		expect(store.map.get(HISTORY_KEY)).toBe(before);
	});

	it('lists missed questions most recently missed first, each once, for this pack version only', () => {
		const later = {
			...first,
			id: 'later',
			finishedAt: '2025-02-01T00:00:00.000Z',
			missed: ['q-multi', 'q-order']
		};
		const other = { ...first, id: 'other', version: 'v0', missed: ['q-choice'] };
		expect(missedMostRecentFirst([other, first, later], tinyPack)).toEqual([
			'q-multi',
			'q-order',
			'q-numeric'
		]);
	});
});
