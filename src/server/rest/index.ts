// The REST API of the local server as one node:http request listener.
import type { RestDeps } from './context';
import { dialogRoutes } from './dialogs';
import { localInfoRoutes } from './localInfo';
import { messageRoutes } from './messages';
import { createRouter, type RequestHandler } from './router';
import { sessionRoutes } from './session';
import { userRoutes } from './users';

export function createRestHandler(deps: RestDeps): RequestHandler {
  return createRouter([...sessionRoutes, ...userRoutes, ...dialogRoutes, ...messageRoutes, ...localInfoRoutes], deps);
}
