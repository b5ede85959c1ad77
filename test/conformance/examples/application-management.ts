import assert from 'node:assert/strict';
import type { ApiExamples } from '../../support/api-examples.ts';

// Application Management: the rotation refused without a destination (400), then, with a webhook
// destination registered for the harness's app, accepted (204, no body); every answer checked
// against the model. The harness calls it with the app's grantless token.

const examples: ApiExamples = {
  api: 'Application Management',
  examples: [
    {
      name: 'rotateApplicationClientSecret: 400 without a destination, 204 with one',
      async run(h) {
        const rotate = { path: '/clientSecret', method: 'POST' as const };
        const refused = await h.conforms('rotateApplicationClientSecret', rotate, 'no destination');
        assert.equal(refused.statusCode, 400, refused.body);
        // The app the harness's tokens belong to: the one whose grantless token the call carried.
        const apps = await h.app.services.apps.list({ developerId: h.world.dev.id });
        for (const a of apps)
          await h.app.services.apps.notices.addDestination('test', a.id, { type: 'webhook', url: 'http://127.0.0.1:9/unreachable' });
        const rotated = await h.conforms('rotateApplicationClientSecret', rotate, 'rotated');
        assert.equal(rotated.statusCode, 204, rotated.body);
        assert.equal(rotated.body, '');
      },
    },
  ],
};

export default examples;
