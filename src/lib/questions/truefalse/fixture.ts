import type { Fixture } from '../registry.ts';
import { fixtureCommon } from '../fixture-common.ts';

export const truefalseFixture: Fixture<'truefalse'> = {
	question: {
		...fixtureCommon,
		id: 'q-truefalse',
		type: 'truefalse',
		prompt: 'The article says it rained all week.',
		answer: false
	},
	right: false,
	wrong: true
};
