#!/usr/bin/env bash
# Makes assets/cover.png (3000x3000) and assets/background.png (1920x1080) for the example
# show with the bundled ffmpeg and the DejaVu font shipped in assets/fonts (license beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
FFMPEG="${CASTLINE_FFMPEG:-$(node -e "console.log(require('@ffmpeg-installer/ffmpeg').path)")}"
FONT=assets/fonts/DejaVuSans-Bold.ttf
"$FFMPEG" -v error -y -f lavfi -i "color=c=0x14213d:s=3000x3000,format=rgb24" \
  -vf "drawbox=x=150:y=150:w=2700:h=2700:color=0xfca311@1:t=24,\
drawtext=fontfile=$FONT:text='ML & AI':fontcolor=white:fontsize=420:x=(w-text_w)/2:y=820,\
drawtext=fontfile=$FONT:text='SAFETY':fontcolor=0xfca311:fontsize=420:x=(w-text_w)/2:y=1300,\
drawtext=fontfile=$FONT:text='UPDATE':fontcolor=white:fontsize=420:x=(w-text_w)/2:y=1780,\
drawtext=fontfile=$FONT:text='weekly research digest':fontcolor=0xe5e5e5:fontsize=140:x=(w-text_w)/2:y=2420" \
  -frames:v 1 assets/cover.png
"$FFMPEG" -v error -y -f lavfi -i "color=c=0x14213d:s=1920x1080,format=rgb24" \
  -vf "drawbox=x=0:y=1040:w=1920:h=40:color=0xfca311@1:t=fill" -frames:v 1 assets/background.png
ls -l assets/cover.png assets/background.png
