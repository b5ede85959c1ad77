import fs from 'node:fs';
import path from 'node:path';

import { MODELS_DIR, MODELS_SKIP } from './reference.ts';

export { MODELS_DIR };
/** The models are here (the reference suite runs). */
export const modelsAvailable = MODELS_SKIP === false;
/** The skip option of a test that reads the models: the reason when they are absent, else false. */
export const needsModels: string | false = MODELS_SKIP;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ModelFile {
  /** Relative to MODELS_DIR, with forward slashes. */
  file: string;
  json: JsonObject;
}

/** Every `*.json` model under MODELS_DIR. */
export function loadModels(): ModelFile[] {
  const out: ModelFile[] = [];
  if (!modelsAvailable) return out;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) {
        const json: Json = JSON.parse(fs.readFileSync(full, 'utf8'));
        if (!isObject(json)) throw new Error(`${full}: not a JSON object`);
        out.push({ file: path.relative(MODELS_DIR, full).split(path.sep).join('/'), json });
      }
    }
  };
  walk(MODELS_DIR);
  return out;
}

export interface ModelOperation {
  file: string;
  modelPath: string;
  method: string;
  operationId: string;
  operation: JsonObject;
  /** Declared parameters with `$ref`s resolved. */
  parameters: JsonObject[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Every operation of a model, in declaration order. */
export function operationsOf(model: ModelFile): ModelOperation[] {
  const out: ModelOperation[] = [];
  const paths = model.json.paths;
  if (!isObject(paths)) return out;
  const shared = isObject(model.json.parameters) ? model.json.parameters : {};
  for (const [modelPath, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const pathLevel = Array.isArray(item.parameters) ? item.parameters : [];
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method) || !isObject(operation)) continue;
      const declared = [...pathLevel, ...(Array.isArray(operation.parameters) ? operation.parameters : [])];
      const parameters = declared.map((p) => {
        if (isObject(p) && typeof p.$ref === 'string') {
          const target = shared[p.$ref.split('/').pop() ?? ''];
          if (!isObject(target)) throw new Error(`${model.file}: unresolved ${p.$ref}`);
          return target;
        }
        if (!isObject(p)) throw new Error(`${model.file}: bad parameter in ${modelPath}`);
        return p;
      });
      out.push({
        file: model.file,
        modelPath,
        method: method.toUpperCase(),
        operationId: String(operation.operationId),
        operation,
        parameters,
      });
    }
  }
  return out;
}

/** A static-sandbox stub of a model, whichever of the three spellings declares it. */
export interface ModelStub {
  operationId: string;
  status: number;
  parameters: JsonObject;
  /** undefined when the stub has no response. */
  response: Json | undefined;
}

export function stubsOf(op: ModelOperation): ModelStub[] {
  const out: ModelStub[] = [];
  const responses = op.operation.responses;
  if (!isObject(responses)) return out;
  for (const [code, response] of Object.entries(responses)) {
    if (!isObject(response)) continue;
    const standard = response['x-amzn-api-sandbox'];
    const spds = response['x-amazon-spds-sandbox-behaviors'];
    const list = Array.isArray(standard)
      ? standard
      : isObject(standard) && Array.isArray(standard.static)
        ? standard.static
        : Array.isArray(spds)
          ? spds
          : [];
    for (const stub of list) {
      if (!isObject(stub) || !isObject(stub.request)) throw new Error(`${op.operationId} ${code}: bad stub`);
      const parameters = stub.request.parameters ?? {};
      if (!isObject(parameters)) throw new Error(`${op.operationId} ${code}: bad stub parameters`);
      out.push({ operationId: op.operationId, status: Number(code), parameters, response: stub.response });
    }
  }
  return out;
}
