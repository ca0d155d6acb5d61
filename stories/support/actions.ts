/**
 * The action stories' link to a running actions service: a short-lived token signed in the browser
 * with the story's `tokenSecret` for the roles and departments picked in its controls, and a client
 * that asks for a fresh one on every call.
 */
import { SignJWT } from 'jose';
import { ActionsClient } from '../../packages/actions/src/index.js';

/** The controls every action story has. */
export interface ServiceArgs {
  serviceUrl: string;
  tokenSecret: string;
  /** Comma-separated role keys. */
  roles: string;
  /** Comma-separated department ids (`*` = every department). */
  departments: string;
}

export async function token(args: ServiceArgs): Promise<string> {
  return new SignJWT({ roles: args.roles.split(',').filter(Boolean), departments: args.departments.split(',').filter(Boolean), name: 'Storybook user' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('storybook-user')
    .setIssuer('usage-portal')
    .setAudience('usage-actions')
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(args.tokenSecret));
}

export const actionsFor = (args: ServiceArgs) => new ActionsClient({ baseUrl: args.serviceUrl, token: () => token(args) });
