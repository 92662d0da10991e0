// Progressive enhancement for the inbox's saved-reply picker: choosing one puts its text in an
// empty reply box, so the agent can edit it before sending. Without this script the server
// sends the chosen text when the box is left empty (contact/admin.py ContactMessageAdminForm).
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.getElementById("id_saved_reply");
  const box = document.getElementById("id_reply");
  if (!picker || !box) return;
  picker.addEventListener("change", () => {
    const option = picker.options[picker.selectedIndex];
    if (option && option.dataset.body && !box.value.trim()) {
      box.value = option.dataset.body;
      box.focus();
    }
  });
});
