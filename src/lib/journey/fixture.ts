/**
 * A small pack for machine and component tests: three links, every question type that needs a
 * distinct control, one hint. Real-pack tests live beside these and load content/.
 */
import type { Pack } from '$lib/content/pack';

const common = { explanation: 'Because the text says so.', skill: 'recall' as const };

/** Three links; the second link's question has a hint. */
export const tinyPack: Pack = {
	id: 'tiny',
	title: 'A tiny chain',
	summary: 'Rain makes mud; mud makes a mess.',
	version: 'v1',
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
