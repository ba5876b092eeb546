import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const orderFixture: Fixture<'order'> = {
	question: {
		...fixtureCommon,
		id: 'q-order',
		type: 'order',
		items: [
			{ id: 'w', text: 'W' },
			{ id: 'x', text: 'X' },
			{ id: 'y', text: 'Y' },
			{ id: 'z', text: 'Z' }
		],
		answer: ['w', 'x', 'y', 'z']
	},
	right: ['w', 'x', 'y', 'z'],
	wrong: ['z', 'y', 'x', 'w']
};
