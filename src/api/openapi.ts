import type { RouteTable } from './routes.ts';

export function openApiDocument(routes: RouteTable, serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Herald admin API',
      version: '1',
      description:
        'Manage components, incidents, maintenance, postmortems, the team, API tokens and page settings. ' +
        'Field names follow the Statuspage manage API where it has them. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, '')}/api/admin` }],
    security: [{ bearer: [] }, { session: [] }],
    paths: routes.paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token from `npm run admin -- create-token` or POST /tokens.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'herald_session',
          description: 'Set by POST /session; writes need a same-site Origin.',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
