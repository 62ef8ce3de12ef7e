//! What a file is, from its name: its media type, and how a browser may show it.

use serde::{Deserialize, Serialize};

/// How a resource's file is shown on its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preview {
    Pdf,
    Image,
    Audio,
    Video,
    /// Offered for download only.
    None,
}

/// The media type of a file called `name` (`application/octet-stream` when unknown).
pub fn media_type_of(name: &str) -> String {
    mime_guess::from_path(name)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_owned()
}

/// SVG can carry scripts: it is downloaded, never shown inline.
pub fn preview_of(media_type: &str) -> Preview {
    match media_type {
        "application/pdf" => Preview::Pdf,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/avif" => Preview::Image,
        "audio/mpeg" | "audio/ogg" | "audio/wav" | "audio/x-wav" | "audio/webm" | "audio/aac"
        | "audio/mp4" | "audio/flac" => Preview::Audio,
        "video/mp4" | "video/webm" | "video/ogg" => Preview::Video,
        _ => Preview::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_media_types_and_only_safe_ones_are_shown() {
        assert_eq!(media_type_of("Cours.PDF"), "application/pdf");
        assert_eq!(media_type_of("photo.jpg"), "image/jpeg");
        assert_eq!(media_type_of("sans-extension"), "application/octet-stream");
        assert_eq!(preview_of(&media_type_of("chanson.mp3")), Preview::Audio);
        assert_eq!(preview_of(&media_type_of("film.mp4")), Preview::Video);
        assert_eq!(preview_of(&media_type_of("dessin.svg")), Preview::None);
        assert_eq!(preview_of(&media_type_of("page.html")), Preview::None);
    }
}
