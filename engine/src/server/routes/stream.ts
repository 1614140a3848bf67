// Placeholder until the streaming engineer's WebSocket route lands.
import type { FastifyPluginAsync } from 'fastify';

const streamRoutes: FastifyPluginAsync = async () => {};
export default streamRoutes;
