/**
 * A small pack for machine and component tests: three links, every question type that needs a
 * distinct control, one hint. Real-pack tests live beside these and load content/.
 */
import type { Pack } from '$lib/content/pack';
import type { QuestionOf, Source } from '$lib/content/schema';

const common = { explanation: 'Because the text says so.', skill: 'recall' as const };

/** Three links; the second link's question has a hint. */
export const tinyPack: Pack = {
	id: 'tiny',
	title: 'A tiny chain',
	summary: 'Rain makes mud; mud makes a mess.',
	version: 'v1',
	glossary: [],
	chain: ['rain', 'mud', 'mess'],
	article: {
		title: 'Rain',
		language: 'en',
		sources: [{ id: 'gazette', name: 'The Gazette', description: 'A paper.' }],
		sections: [
			{
				id: 'intro',
				heading: null,
				paragraphs: [{ id: 'intro-1', text: 'It rained. The mud came. A mess followed.' }]
			}
		]
	},
	anchors: {
		'It rained.': { sectionId: 'intro', paragraphId: 'intro-1', start: 0, end: 10 }
	},
	steps: [
		{
			id: 'rain',
			title: 'Rain',
			claim: 'stated',
			summary: 'It rained.',
			keyPassage: 'It rained.',
			leadsTo: 'Rain makes mud.',
			causes: [],
			events: [],
			questions: [
				{
					...common,
					id: 'q-choice',
					type: 'choice',
					prompt: 'What happened?',
					options: [
						{ id: 'a', text: 'Rain' },
						{ id: 'b', text: 'Sun' }
					],
					answer: 'a',
					evidence: ['It rained.']
				},
				{
					...common,
					id: 'q-order',
					type: 'order',
					prompt: 'Order them.',
					items: [
						{ id: 'x', text: 'Rain' },
						{ id: 'y', text: 'Mud' },
						{ id: 'z', text: 'Mess' }
					],
					answer: ['x', 'y', 'z'],
					evidence: ['It rained.']
				}
			]
		},
		{
			id: 'mud',
			title: 'Mud',
			claim: 'inferred',
			summary: 'Mud came.',
			keyPassage: 'It rained.',
			leadsTo: 'Mud makes a mess.',
			causes: [],
			events: [],
			questions: [
				{
					...common,
					id: 'q-numeric',
					type: 'numeric',
					prompt: 'How many rains?',
					unit: 'rains',
					tolerance: 0,
					answer: 1,
					hint: 'Count them.',
					evidence: ['It rained.']
				}
			]
		},
		{
			id: 'mess',
			title: 'Mess',
			claim: 'hypothetical',
			summary: 'A mess.',
			keyPassage: 'It rained.',
			leadsTo: 'Who knows.',
			causes: [],
			events: [],
			questions: [
				{
					...common,
					id: 'q-multi',
					type: 'multi',
					prompt: 'Which came?',
					options: [
						{ id: 'm', text: 'Mud' },
						{ id: 'n', text: 'Mess' },
						{ id: 'o', text: 'Snow' }
					],
					answer: ['m', 'n'],
					evidence: ['It rained.']
				}
			]
		}
	]
};

/** The tiny pack with a scenario question ahead of the last link's question, to explore. */
export const scenarioPack: Pack = {
	...tinyPack,
	id: 'tiny-scenario',
	steps: tinyPack.steps.map((step) =>
		step.id !== 'mess'
			? step
			: {
					...step,
					questions: [
						{
							...common,
							skill: 'scenario',
							id: 'q-scenario',
							type: 'scenario',
							prompt: 'What next?',
							hint: 'Weigh each one.',
							scenarios: [
								{
									id: 'flood',
									title: 'A flood',
									description: 'The river rises.',
									supports: ['p1', 'p3'],
									against: ['p2']
								},
								{
									id: 'drought',
									title: 'A drought',
									description: 'The rain stops.',
									supports: ['p2'],
									against: []
								},
								{
									id: 'calm',
									title: 'Calm',
									description: 'Nothing changes.',
									supports: ['p4'],
									against: ['p1']
								}
							],
							passages: [
								{ id: 'p1', text: 'The river is high.' },
								{ id: 'p2', text: 'The sky cleared.' },
								{ id: 'p3', text: 'More rain is forecast.' },
								{ id: 'p4', text: 'It rained.' }
							],
							answer: {
								flood: { supports: ['p1', 'p3'], against: ['p2'] },
								drought: { supports: ['p2'], against: [] },
								calm: { supports: ['p4'], against: ['p1'] }
							},
							evidence: ['It rained.']
						},
						...step.questions
					]
				}
	)
};

/**
 * A two-scenario question for component and description tests: one passage supports a scenario
 * and cuts against the other, so both sides of a pick are exercised.
 */
export const weatherScenario: QuestionOf<'scenario'> = {
	...common,
	skill: 'scenario',
	id: 'q-scenario',
	type: 'scenario',
	prompt: 'What next?',
	evidence: ['It rained.'],
	scenarios: [
		{
			id: 'flood',
			title: 'A flood',
			description: 'The river rises.',
			supports: ['p1', 'p3'],
			against: ['p2']
		},
		{
			id: 'drought',
			title: 'A drought',
			description: 'The rain stops.',
			supports: ['p2'],
			against: []
		}
	],
	passages: [
		{ id: 'p1', text: 'The river is high.' },
		{ id: 'p2', text: 'The sky cleared.' },
		{ id: 'p3', text: 'More rain is forecast.' }
	],
	answer: {
		flood: { supports: ['p1', 'p3'], against: ['p2'] },
		drought: { supports: ['p2'], against: [] }
	}
};

/** The question types the tiny pack leaves out, for component tests of every type. */
const asked = { ...common, evidence: ['It rained.'] };

/** Sources a `source` question can name. */
export const fixtureSources: Source[] = [
	{ id: 'gazette', name: 'The Gazette', description: 'A paper.' },
	{ id: 'herald', name: 'The Herald', description: 'Another paper.' },
	{ id: 'wire', name: 'The Wire', description: 'A news agency.' }
];

export const matchQuestion: QuestionOf<'match'> = {
	...asked,
	id: 'q-match',
	type: 'match',
	prompt: 'Pair each cause with its effect.',
	leftLabel: 'Cause',
	rightLabel: 'Effect',
	left: [
		{ id: 'l-rain', text: 'Rain' },
		{ id: 'l-sun', text: 'Sun' },
		{ id: 'l-wind', text: 'Wind' }
	],
	right: [
		{ id: 'r-mud', text: 'Mud' },
		{ id: 'r-dust', text: 'Dust' },
		{ id: 'r-leaves', text: 'Fallen leaves' }
	],
	answer: { 'l-rain': 'r-mud', 'l-sun': 'r-dust', 'l-wind': 'r-leaves' }
};

export const evidenceQuestion: QuestionOf<'evidence'> = {
	...asked,
	id: 'q-evidence',
	type: 'evidence',
	prompt: 'Which sentence proves it rained?',
	options: [
		{ id: 's1', text: 'It rained.' },
		{ id: 's2', text: 'The mud came.' }
	],
	answer: 's1'
};

export const sourceQuestion: QuestionOf<'source'> = {
	...asked,
	id: 'q-source',
	type: 'source',
	prompt: 'Who reported the rain?',
	options: ['gazette', 'herald', 'wire'],
	answer: 'herald'
};
