//! The demo's interactive modules: small real HTML packages (a page, its style and a script
//! that checks the answers), so that the demo shows packages running in their sandbox.

use std::io::Write;

use zip::write::SimpleFileOptions;

/// A zip with `index.html`, `style.css` and `quiz.js` on `topic`.
pub fn quiz_package(
    title: &str,
    subject: &str,
    topic: &str,
) -> Result<Vec<u8>, zip::result::ZipError> {
    let page = format!(
        r#"<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="style.css"></head>
<body>
<main>
<h1>{title}</h1>
<p class="subject">{subject}</p>
<p>Ce parcours reprend l'essentiel : {topic}. Répondez, puis vérifiez.</p>
<ol class="quiz">
<li data-answer="vrai"><p>J'ai relu la leçon sur ce thème avant de commencer.</p>
<button>vrai</button> <button>faux</button><p class="feedback" hidden></p></li>
<li data-answer="vrai"><p>Je sais expliquer la notion à un camarade avec un exemple.</p>
<button>vrai</button> <button>faux</button><p class="feedback" hidden></p></li>
<li data-answer="faux"><p>Il est inutile de refaire les exercices déjà corrigés.</p>
<button>vrai</button> <button>faux</button><p class="feedback" hidden></p></li>
</ol>
<p id="score" aria-live="polite"></p>
</main>
<script src="quiz.js"></script>
</body>
</html>
"#,
        title = escape(title),
        subject = escape(subject),
        topic = escape(topic),
    );
    let style = "body{font-family:system-ui,sans-serif;margin:0;padding:1rem;line-height:1.5}\
main{max-width:40rem;margin:auto}.subject{color:#555}button{font-size:1rem;padding:.4rem .9rem;\
margin:.2rem}.feedback.ok{color:#0a6b2d}.feedback.ko{color:#a3141b}\n";
    let script = r#"let good = 0, answered = 0;
document.querySelectorAll(".quiz li").forEach((item) => {
  item.querySelectorAll("button").forEach((button) => {
    button.addEventListener("click", () => {
      if (item.dataset.done) return;
      item.dataset.done = "1";
      answered += 1;
      const right = button.textContent === item.dataset.answer;
      if (right) good += 1;
      const feedback = item.querySelector(".feedback");
      feedback.hidden = false;
      feedback.className = "feedback " + (right ? "ok" : "ko");
      feedback.textContent = right ? "Bonne réponse !" : "Pas tout à fait : relisez la leçon.";
      document.getElementById("score").textContent = `Score : ${good} / ${answered}`;
    });
  });
});
"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (name, body) in [
        ("index.html", page.as_str()),
        ("style.css", style),
        ("quiz.js", script),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
