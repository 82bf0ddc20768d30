// Console URLs. The console lives under /console/; every link goes through path().
export const BASE = '/console';

export const path = (p = '/') => BASE + p;

export const devicePath = (id) => path('/devices/' + encodeURIComponent(id));
export const releasePath = (id) => path('/releases/' + encodeURIComponent(id));
