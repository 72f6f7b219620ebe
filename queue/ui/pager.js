// Cursor paging as every paged view does it: `state.cursors[i]` is the cursor that
// asks for page i (undefined for the first), `state.nextCursor` what the last answer
// gave. Returns whether the page changed, so the view refreshes only then.
export function turnPage(state, step) {
  if (step > 0 && state.nextCursor) {
    state.cursors[state.page + 1] = state.nextCursor;
    state.page += 1;
    return true;
  }
  if (step < 0 && state.page > 0) {
    state.page -= 1;
    return true;
  }
  return false;
}
