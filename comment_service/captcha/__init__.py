"""The captcha: challenges (image and audio) and their media."""
