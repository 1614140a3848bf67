// Placeholder until the storage engineer's history routes land.
import type { FastifyPluginAsync } from 'fastify';

const historyRoutes: FastifyPluginAsync = async () => {};
export default historyRoutes;
