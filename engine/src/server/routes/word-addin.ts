/** Serves the Word add-in's task pane at `/addins/word/` (placeholder until the add-in lands). */
import type { FastifyPluginAsync } from 'fastify';

const wordAddinRoutes: FastifyPluginAsync = async () => {};

export default wordAddinRoutes;
