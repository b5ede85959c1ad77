import { PACKAGE_VERSION } from '../../kernel/version.ts';
import { CHECKED_MODELS, type CheckedModel } from './checked-models.ts';
import { APIS } from './operations.ts';

/** What `bizapi --version` prints and `/healthz` answers: this build, the APIs it serves, the models it was checked against. */
export interface VersionInfo {
  readonly version: string;
  readonly apis: readonly { readonly name: string; readonly slug: string; readonly version: string }[];
  readonly checkedAgainst: readonly CheckedModel[];
}

export const VERSION_INFO: VersionInfo = {
  version: PACKAGE_VERSION,
  apis: APIS.map(({ name, slug, version }) => ({ name, slug, version })),
  checkedAgainst: CHECKED_MODELS,
};

/** The human form of VERSION_INFO. */
export function describeVersion(info: VersionInfo = VERSION_INFO): string {
  const width = Math.max(...info.apis.map((a) => a.name.length));
  const lines = [
    `bizapi ${info.version}`,
    '',
    `  ${'API'.padEnd(width)}  version      checked against the model file (its info.version, sha256)`,
  ];
  for (const api of info.apis) {
    const model = info.checkedAgainst.find((m) => m.api === api.slug);
    lines.push(
      `  ${api.name.padEnd(width)}  ${api.version}   ${model ? `${model.file} (${model.modelVersion}, ${model.sha256})` : 'not checked'}`,
    );
  }
  return lines.join('\n');
}
