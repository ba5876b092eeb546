import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const scenarioFixture: Fixture<'scenario'> = {
	question: {
		...fixtureCommon,
		id: 'q-scenario',
		type: 'scenario',
		scenarios: [
			{
				id: 'stay',
				title: 'Stay',
				description: 'They stay.',
				supports: ['p1', 'p2'],
				against: ['p3']
			},
			{
				id: 'leave',
				title: 'Leave',
				description: 'They leave.',
				supports: ['p3', 'p4', 'p5'],
				against: []
			}
		],
		passages: [
			{ id: 'p1', text: 'One.' },
			{ id: 'p2', text: 'Two.' },
			{ id: 'p3', text: 'Three.' },
			{ id: 'p4', text: 'Four.' },
			{ id: 'p5', text: 'Five.' }
		],
		answer: {
			stay: { supports: ['p1', 'p2'], against: ['p3'] },
			leave: { supports: ['p3', 'p4', 'p5'], against: [] }
		}
	},
	right: {
		leave: { supports: ['p5', 'p4', 'p3'], against: [] },
		stay: { supports: ['p2', 'p1'], against: ['p3'] }
	},
	// Each scenario backed by a passage that does not support it: one stray each, no credit.
	wrong: {
		stay: { supports: ['p4'], against: [] },
		leave: { supports: ['p1'], against: [] }
	}
};
