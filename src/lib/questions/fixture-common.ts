/** Fields every fixture question shares; each type's `fixture.ts` adds its own. */
export const fixtureCommon = {
	prompt: 'A question?',
	evidence: ['A passage.'],
	explanation: 'Because.',
	skill: 'recall' as const
};
