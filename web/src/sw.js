// The field app's service worker: every file of the app is precached at install (Workbox's
// precaching, with the list and revisions that scripts/build-web writes in), so after the first
// visit the app starts and runs with no network at all. Only the app's own code is cached; the
// worker's cases live encrypted in OPFS, never here. A new version takes over once every tab
// of the old one is closed (Workbox's default), so a case open in a tab never changes code midway.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Any navigation inside the app's scope opens the app shell, offline too.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/\/exit\.html$/, /\/embed\.html$/] }));

