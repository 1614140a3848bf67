/** Serves the WebUI at `/` (placeholder until the WebUI lands). */
import type { FastifyPluginAsync } from 'fastify';

const webuiRoutes: FastifyPluginAsync = async () => {};

export default webuiRoutes;
