import type { FastifyPluginAsync } from 'fastify';
import type { PlainValue } from '../../data/index.js';
import type { TaskRegistry } from '../../plugins/index.js';
import { assignAndValidate, detail, instantiate, requireLoadable, summary } from '../tasks.js';

export interface TaskRoutesOptions {
  registry: TaskRegistry;
}

const nameParam = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' } },
} as const;

export const valuesSchema = {
  type: 'object',
  maxProperties: 1000,
  additionalProperties: true,
} as const;

/** The task registry: titles and categories, each task's parameter tree, and validation of values. */
export const taskRoutes: FastifyPluginAsync<TaskRoutesOptions> = async (app, { registry }) => {
  app.get('/tasks', async () => ({
    tasks: registry.names().map((n) => summary(registry, n)),
  }));

  app.get<{ Params: { name: string } }>('/tasks/:name', { schema: { params: nameParam } }, async (req) =>
    detail(registry, req.params.name),
  );

  app.post<{ Params: { name: string }; Body: { params?: Record<string, PlainValue> } }>(
    '/tasks/:name/validate',
    {
      schema: {
        params: nameParam,
        body: { type: 'object', properties: { params: valuesSchema }, additionalProperties: false },
      },
    },
    async (req) => {
      const plugin = instantiate(registry, req.params.name);
      requireLoadable(plugin, req.params.name);
      return assignAndValidate(plugin.container, req.body.params ?? {});
    },
  );
};
