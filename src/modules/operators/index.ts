/** Operators' API keys and the sessions of every sign-in (developers, business users, operators). */
export { OperatorsService, sessionCookieMaxAge, type Session, type SessionKind } from './operators.service.ts';
/** The guard of the operators' endpoints, and the audit actor of their requests. */
export { actorOf, operatorGuard } from './operators.guard.ts';
