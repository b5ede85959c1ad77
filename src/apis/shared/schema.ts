import { Type, type TLiteral, type TUnion } from '@sinclair/typebox';

/** Building blocks of the APIs' TypeBox schemas (the wire files and the OpenAPI document). */

/** A union of string literals, e.g. an enum of the model. */
export const OneOf = <const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> =>
  Type.Union(values.map((v): TLiteral<T[number]> => Type.Literal(v)));

/** The Amazon Business APIs' error envelope: `{"errors":[{code,message,details}]}`. */
export const ErrorList = Type.Object(
  {
    errors: Type.Array(
      Type.Object({
        code: Type.String({ description: 'An error code that identifies the type of error that occurred.' }),
        message: Type.String({ description: 'A message that describes the error condition.' }),
        details: Type.Optional(Type.String({ description: 'Additional details that can help the caller understand or fix the issue.' })),
      }),
    ),
  },
  { title: 'ErrorList' },
);
