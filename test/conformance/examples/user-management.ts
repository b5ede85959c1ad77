import assert from 'node:assert/strict';
import type { ApiExamples } from '../../support/api-examples.ts';
import { unique } from '../../support/app.ts';

// The User Management API: a user created (by GroupId and by GroupTag), and each kind of refusal;
// every answer checked against the model.

const examples: ApiExamples = {
  api: 'User Management',
  examples: [
    {
      name: 'createBusinessUserAccount: 201 {} by GroupId and by GroupTag, with and without the welcome email',
      async run(h) {
        const w = h.world;
        const created = await h.conforms(
          'createBusinessUserAccount',
          {
            path: '/businessUserAccount',
            method: 'POST',
            body: {
              accountHolder: { email: `um-${unique()}@t.test`, givenName: 'Ona', familyName: 'Onboard' },
              groupId: { idType: 'GroupId', id: w.group.id },
              role: 'Requisitioner',
              region: 'US',
              notificationTypesToSuppress: ['EMAIL'],
            },
          },
          'created by GroupId',
        );
        assert.equal(created.statusCode, 201, created.body);
        const byTag = await h.conforms(
          'createBusinessUserAccount',
          {
            path: '/businessUserAccount',
            method: 'POST',
            body: {
              accountHolder: { email: `um-${unique()}@t.test`, givenName: 'Tag', familyName: 'Along' },
              groupId: { idType: 'GroupTag', id: w.group2.groupTag },
              role: 'Tech',
              region: 'US',
            },
          },
          'created by GroupTag',
        );
        assert.equal(byTag.statusCode, 201, byTag.body);
      },
    },
    {
      name: 'refusals: the model’s missing accountHolder, wrong values, a taken email, an unknown group, another store',
      async run(h) {
        const w = h.world;
        const valid = {
          accountHolder: { email: `um-${unique()}@t.test`, givenName: 'A', familyName: 'B' },
          groupId: { idType: 'GroupId', id: w.group.id },
          role: 'Requisitioner',
          region: 'US',
        };
        for (const [what, body, status] of [
          ['missing accountHolder', { role: 'PunchoutUser', region: 'US' }, 400],
          ['unknown role', { ...valid, role: 'Buyer' }, 400],
          ['unknown region', { ...valid, region: 'XX' }, 400],
          ['taken email', { ...valid, accountHolder: { ...valid.accountHolder, email: w.buyer.email } }, 400],
          ['unknown group', { ...valid, groupId: { idType: 'GroupTag', id: 'none' } }, 400],
          ['a store the business is not in', { ...valid, region: 'DE' }, 400],
          ['a store other than the token’s', { ...valid, region: 'CA' }, 403],
        ] as const) {
          const res = await h.conforms('createBusinessUserAccount', { path: '/businessUserAccount', method: 'POST', body }, what);
          assert.equal(res.statusCode, status, `${what}: ${res.body}`);
        }
      },
    },
  ],
  async fuzzBodies(app) {
    // The newest group: one of the business of the fuzz world's token (else the body is refused as naming an unknown group).
    const [group] = await app.ctx.db.kysely
      .selectFrom('business_groups')
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(1)
      .execute();
    return {
      createBusinessUserAccount: [
        {
          accountHolder: { email: 'fuzz@t.test', givenName: 'Fuzz', familyName: 'Body' },
          groupId: { idType: 'GroupId', id: group?.id ?? 'grp_fuzz' },
          role: 'Requisitioner',
          region: 'US',
          notificationTypesToSuppress: ['EMAIL'],
        },
      ],
    };
  },
};

export default examples;
