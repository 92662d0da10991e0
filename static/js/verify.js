// The verify box is a textarea so a pasted message stays readable, yet Enter still checks
// what was pasted (Shift+Enter adds a line). Enter that confirms a Chinese input-method
// composition (isComposing) is left alone. Without JavaScript the button submits.
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
  if (!(box instanceof HTMLTextAreaElement) || !box.hasAttribute("data-submit-on-enter")) return;
  event.preventDefault();
  box.form.requestSubmit();
});
