// Relative asset URLs: the built page works from any path (web/serve.mjs serves it at /vite/).
export default { base: './' };
