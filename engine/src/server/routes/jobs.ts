// Placeholder until the storage engineer's job routes land.
import type { FastifyPluginAsync } from 'fastify';

const jobRoutes: FastifyPluginAsync = async () => {};
export default jobRoutes;
