// Inlined in the HTML (its hash is in the Content-Security-Policy): starts the first screen's one API
// call while the page's script is still downloading, so the list does not wait for script, then call.
// Tiny and dependency-free on purpose; main.tsx takes the answer over from `__firstList`.
(() => {
  try {
    let data = new URLSearchParams(location.hash.slice(1)).get('tgWebAppData');
    if (!data) {
      try {
        data = new URLSearchParams(sessionStorage.getItem('service-desk:launch') ?? '').get('tgWebAppData');
      } catch {
        data = null;
      }
    }
    const opensList = new URLSearchParams(location.search).get('request') === null && !new URLSearchParams(data ?? '').get('start_param');
    if (data && opensList) {
      (window as unknown as { __firstList?: Promise<Response> }).__firstList = fetch('/api/app/requests?filter=all', { headers: { authorization: `tma ${data}` } });
    }
  } catch {
    // The page's script asks again.
  }
})();
