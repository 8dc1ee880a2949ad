import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';

/** Money in cents and other 53-bit integers: a JSON number within ±(2^53−1). */
export const SafeInt = GraphQLSafeInt;
export const JSONScalar = GraphQLJSON;
